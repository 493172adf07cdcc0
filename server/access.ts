import type { SessionInfo } from "../shared/session";
import type { DebateRecord, TeamRecord } from "./store/types";

export type PaperAccess = "write" | "read" | "none";

export interface PaperAccessDecision {
  access: PaperAccess;
  /** Shown to the user when they cannot write, e.g. "Papers are locked: Drafting has ended". */
  reason: string | null;
}

/** Whether students may read the other side's paper under the debate's reveal setting. */
export function paperRevealed(debate: Pick<DebateRecord, "revealPolicy">, team: TeamRecord): boolean {
  switch (debate.revealPolicy) {
    case "always":
      return true;
    case "after-lock":
      return team.paperLocked;
    case "never":
      return false;
  }
}

/**
 * Who may open which paper, and how. The one place this is decided: pages, the /yjs endpoint and
 * the socket.io handlers all ask here, and the endpoint asks again whenever a paper's rules change.
 */
export function paperAccess(
  session: SessionInfo,
  debate: Pick<DebateRecord, "id" | "revealPolicy">,
  team: TeamRecord,
): PaperAccessDecision {
  if (session.debateId !== team.debateId || debate.id !== team.debateId) {
    return { access: "none", reason: "This paper belongs to another debate" };
  }
  const lockedReason = team.paperLocked ? "This paper is locked: only the instructor can change it now" : null;
  switch (session.role) {
    case "instructor":
      return { access: "write", reason: null };
    case "student":
      if (session.teamId === team.id) {
        return team.paperLocked ? { access: "read", reason: lockedReason } : { access: "write", reason: null };
      }
      return paperRevealed(debate, team)
        ? { access: "read", reason: "The other team's paper is read-only" }
        : { access: "none", reason: "The other team's paper is not revealed yet" };
    case "judge":
      return { access: "read", reason: "Judges read papers; they do not edit them" };
    case "audience":
      return { access: "none", reason: "The audience view has no papers" };
  }
}

export function mayControlRound(session: SessionInfo, debateId: string): boolean {
  return session.role === "instructor" && session.debateId === debateId;
}
