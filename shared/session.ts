export const ROLES = ["instructor", "student", "judge", "audience"] as const;
export type Role = (typeof ROLES)[number];

/** What the server knows about whoever holds a session cookie. */
export interface SessionInfo {
  id: string;
  role: Role;
  displayName: string;
  debateId: string;
  /** Set for students once they are on a team. */
  teamId: string | null;
  /** Caret and presence colour, #rrggbb. */
  color: string;
}
