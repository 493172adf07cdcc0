import { sameName, TYPING_WINDOW_MS } from "../../shared/classroom/rules";
import type { ControlView, ParticipantView } from "../../shared/classroom/views";
import { type Outcome, refused } from "../../shared/outcome";
import { paperDocumentId } from "../../shared/papers/documents";
import type { ParticipantSession } from "../../shared/session";
import type { DebateRecord, Store, TeamRecord } from "../store/types";
import { codeNames } from "./code-names";
import type { LiveConnections } from "./live-connections";

/** The debate's people as the control room lists them: code name, team, online, typing, ballot. */
export async function participantViews(
  store: Store,
  live: Pick<LiveConnections, "presence" | "followers">,
  debate: DebateRecord,
  teams: TeamRecord[],
): Promise<ParticipantView[]> {
  const participants = await store.listParticipants(debate.id);
  const names = codeNames(participants, teams);
  const presence = new Map<string, { lastEditAt: number | null }>();
  for (const team of teams) {
    for (const entry of await live.presence(paperDocumentId(team.id))) {
      const known = presence.get(entry.sessionId);
      presence.set(entry.sessionId, { lastEditAt: Math.max(known?.lastEditAt ?? 0, entry.lastEditAt ?? 0) || null });
    }
  }
  for (const sessionId of await live.followers(debate.id)) {
    if (!presence.has(sessionId)) presence.set(sessionId, { lastEditAt: null });
  }
  const ballots = new Map((await store.listBallots(debate.id)).map((ballot) => [ballot.judgeSessionId, ballot.status]));
  const now = Date.now();
  return participants.map((session): ParticipantView => {
    const seen = presence.get(session.id);
    return {
      sessionId: session.id,
      displayName: session.displayName,
      codeName: names.get(session.id) ?? null,
      role: session.role,
      teamId: session.teamId,
      online: seen !== undefined,
      typing: seen?.lastEditAt != null && now - seen.lastEditAt < TYPING_WINDOW_MS,
      ballot: session.role === "judge" ? (ballots.get(session.id) ?? null) : null,
    };
  });
}

/** Students and judges sharing a name, or sharing a browser: what a second identity looks like. */
export async function rosterDoubts(
  store: Store,
  debateId: string,
  people: ParticipantView[],
): Promise<ControlView["doubts"]> {
  const named = people.filter((person) => person.role !== "audience");
  const doubts: ControlView["doubts"] = [];
  const seen = new Set<string>();
  for (const person of named) {
    if (seen.has(person.sessionId)) continue;
    const same = named.filter((other) => sameName(other.displayName, person.displayName));
    for (const other of same) seen.add(other.sessionId);
    if (same.length > 1) doubts.push({ kind: "same-name", names: same.map((other) => other.displayName) });
  }
  const nameOf = new Map(named.map((person) => [person.sessionId, person.displayName]));
  const byDevice = new Map<string, string[]>();
  for (const { sessionId, deviceId } of await store.listSessionDevices(debateId)) {
    const name = nameOf.get(sessionId);
    if (name !== undefined) byDevice.set(deviceId, [...(byDevice.get(deviceId) ?? []), name]);
  }
  for (const names of byDevice.values()) if (names.length > 1) doubts.push({ kind: "same-browser", names });
  return doubts;
}

/** Every one of `ids` must be a participant of the debate, or nothing is done. */
export async function peopleOf(
  store: Store,
  debate: DebateRecord,
  ids: string[],
): Promise<Outcome<{ people: ParticipantSession[] }>> {
  const people: ParticipantSession[] = [];
  for (const id of ids) {
    const target = await store.getSession(id);
    if (!target || target.role === "instructor" || target.debateId !== debate.id) {
      return refused(404, "That person is not in this debate.");
    }
    people.push(target as ParticipantSession);
  }
  return { ok: true, people };
}
