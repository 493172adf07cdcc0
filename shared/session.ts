export const ROLES = ["instructor", "student", "judge", "audience"] as const;
export type Role = (typeof ROLES)[number];

/** What the server knows about whoever holds a session cookie. */
export interface SessionInfo {
  id: string;
  role: Role;
  displayName: string;
  /** The debate a student, judge or audience member joined; null for an instructor. */
  debateId: string | null;
  /** The instructor account behind the session; null for everyone else. */
  accountId: string | null;
  /** Set for students once they are on a team. */
  teamId: string | null;
  /** Caret and presence colour, #rrggbb. */
  color: string;
}

/** A session of someone who joined one debate with a code or link. */
export type ParticipantSession = SessionInfo & { role: Exclude<Role, "instructor">; debateId: string };
