/**
 * Judging's names and limits that pages show (release stages, judge room form fields), without
 * the schemas of judging.ts: a page importing these carries no zod (docs/performance.md).
 */

/** What students and the audience may see, in the order the instructor releases it. */
export const RELEASE_STAGES = ["none", "decision", "scores", "feedback"] as const;
export type ReleaseStage = (typeof RELEASE_STAGES)[number];
export const RELEASE_STAGE_LABELS: Record<ReleaseStage, string> = {
  none: "Nothing released",
  decision: "Decision",
  scores: "Decision and scores",
  feedback: "Decision, scores and written feedback",
};

/** Whether `current` has reached `wanted`: each stage includes every earlier one. */
export function released(current: ReleaseStage, wanted: Exclude<ReleaseStage, "none">): boolean {
  return RELEASE_STAGES.indexOf(current) >= RELEASE_STAGES.indexOf(wanted);
}

export const BALLOT_STATUSES = ["draft", "submitted"] as const;
export type BallotStatus = (typeof BALLOT_STATUSES)[number];

/** Speaker points, when a judge gives them: the range World Schools and most school leagues use. */
export const SPEAKER_POINTS = { min: 60, max: 80 } as const;

/**
 * Form field names of the judge room. Keys and ids never contain ":" (argument keys, team and session
 * ids are base64url joined by "~", criterion ids are lowercase words), so the name splits back unambiguously.
 */
export const BallotField = {
  intent: "intent",
  score: (argumentKey: string, criterionId: string) => `score:${argumentKey}:${criterionId}`,
  comment: (argumentKey: string) => `comment:${argumentKey}`,
  /** A team id, or ABSTAIN. */
  winner: "winner",
  points: (sessionId: string) => `points:${sessionId}`,
  reason: "reason",
  feedback: (teamId: string) => `feedback:${teamId}`,
} as const;
export const ABSTAIN = "abstain";

/** What a ballot needs before it can be submitted; the judge room checks first, the server always. */
export const SUBMIT_NEEDS = {
  winner: "Choose the winning team (or abstain) before you submit.",
  reason: "Write a reason for decision before you submit.",
} as const;

/** Rows of the rubric editor: the criteria so far plus blank ones to add. */
export const RUBRIC_EDITOR_ROWS = 8;
