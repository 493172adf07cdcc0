import type { SessionInfo } from "../shared/session";
import type { TeamRecord } from "./store/types";

export type PaperAccess = "write" | "read" | "none";

/**
 * Who may open which paper. The one place this is decided: pages, the /yjs endpoint and the
 * socket.io handlers all ask here.
 */
export function paperAccess(session: SessionInfo, team: TeamRecord): PaperAccess {
  if (session.debateId !== team.debateId) return "none";
  switch (session.role) {
    case "instructor":
      return "write";
    case "student":
      return session.teamId === team.id ? "write" : "none";
    case "judge":
      return "read";
    case "audience":
      return "none";
  }
}

export function mayControlRound(session: SessionInfo, debateId: string): boolean {
  return session.role === "instructor" && session.debateId === debateId;
}
