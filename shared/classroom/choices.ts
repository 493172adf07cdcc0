/**
 * The classroom flow's choices and limits that pages show, without the form schemas of
 * classroom.ts: a page importing these carries no zod (docs/performance.md).
 */

export const TEAM_MODES = ["choose", "balance", "assign"] as const;
export type TeamMode = (typeof TEAM_MODES)[number];
/**
 * New debates balance teams automatically: the student code is shared by the whole class, so a
 * second identity must not be able to pick the other side (decision 084). "choose" is opt-in.
 */
export const DEFAULT_TEAM_MODE: TeamMode = "balance";
export const TEAM_MODE_LABELS: Record<TeamMode, string> = {
  choose: "Students pick their team",
  balance: "Auto-balance the teams",
  assign: "I put students on teams",
};

export const REVEAL_POLICIES = ["never", "after-lock", "always"] as const;
export type RevealPolicy = (typeof REVEAL_POLICIES)[number];
export const REVEAL_POLICY_LABELS: Record<RevealPolicy, string> = {
  never: "Never",
  "after-lock": "After papers lock",
  always: "Always",
};

export const MAX_DISPLAY_NAME_LENGTH = 40;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_SIDES = 6;
