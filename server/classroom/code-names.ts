import type { ParticipantSession, SessionInfo } from "../../shared/session";
import type { DebateRecord, Store, TeamRecord } from "../store/types";

/** "Realpolitik · Speaker 2": students numbered per team in the order they joined. */
export function codeNames(participants: ParticipantSession[], teams: TeamRecord[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const team of teams) {
    const members = participants.filter((session) => session.role === "student" && session.teamId === team.id);
    for (const [index, session] of members.entries()) {
      names.set(session.id, `${team.name} · Speaker ${index + 1}`);
    }
  }
  return names;
}

/**
 * The name others see for a session in the debate: with code names on, a student is known by
 * side and speaker number everywhere their presence shows (carets, who is here). Reads the
 * debate's roster once, for naming any number of its sessions.
 */
export async function publicNamer(
  store: Store,
  debate: Pick<DebateRecord, "id" | "codeNames">,
): Promise<(session: SessionInfo) => string> {
  if (!debate.codeNames) return (session) => session.displayName;
  const names = codeNames(await store.listParticipants(debate.id), await store.listTeams(debate.id));
  return (session) => (session.role === "student" ? names.get(session.id) : undefined) ?? session.displayName;
}

export async function publicName(
  store: Store,
  session: SessionInfo,
  debate: Pick<DebateRecord, "id" | "codeNames">,
): Promise<string> {
  if (!debate.codeNames || session.role !== "student") return session.displayName;
  return (await publicNamer(store, debate))(session);
}
