import { BUILT_IN_FORMATS, CUSTOM_FORMAT_PREFIX, formatSchema } from "../../shared/formats";
import { describeCommand, INITIAL_ROUND_STATE } from "../../shared/round";
import { ROUND_LOG_PAGE_SIZE, type RoundPageServices, type SnapshotSummary } from "../../shared/round-views";
import type { SessionInfo } from "../../shared/session";
import { mayOnDebate } from "../access";
import { newId } from "../ids";
import { toSummary, toTeamView } from "../services";
import type { DebateRecord, PaperSnapshotRecord, Store, TeamRecord } from "../store/types";
import type { RoundService } from "./round-service";

const isInstructorOf = (session: SessionInfo, debate: DebateRecord | undefined): debate is DebateRecord =>
  debate !== undefined && mayOnDebate(session, "manage", debate).allowed;

/** Snapshots are what judges score and instructors review; students and the audience do not open them. */
const mayReadSnapshots = (session: SessionInfo, debate: DebateRecord | undefined): debate is DebateRecord =>
  debate !== undefined &&
  (mayOnDebate(session, "manage", debate).allowed || (session.role === "judge" && session.debateId === debate.id));

/** ["phases", 0, "signals"] → "phase 1, signals": what the instructor sees in the editor. */
function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let index = 0; index < path.length; index++) {
    const key = path[index];
    const next = path[index + 1];
    if (key === "phases" && typeof next === "number") {
      parts.push(`phase ${next + 1}`);
      index++;
    } else if (typeof key !== "number") {
      parts.push(String(key));
    }
  }
  return parts.join(", ") || "format";
}

export function createRoundPages(store: Store, rounds: RoundService): RoundPageServices {
  function summarize(snapshot: PaperSnapshotRecord, team: TeamRecord): SnapshotSummary {
    return { id: snapshot.id, name: snapshot.name, team: toTeamView(team), createdAt: snapshot.createdAt };
  }

  return {
    async formatsView(session, debateId) {
      const debate = await store.getDebate(debateId);
      if (!isInstructorOf(session, debate)) return null;
      const current = await rounds.formatOf(debate);
      return {
        debate: toSummary(debate),
        currentFormatId: current.id,
        roundState: ((await store.getRound(debateId)) ?? INITIAL_ROUND_STATE).state,
        teams: (await store.listTeams(debateId)).map(toTeamView),
        builtIn: [...BUILT_IN_FORMATS],
        custom: await store.listCustomFormats(debateId),
      };
    },

    async saveCustomFormat(session, debateId, input) {
      if (!isInstructorOf(session, await store.getDebate(debateId))) {
        return { ok: false, reason: "Only this debate's instructor edits formats" };
      }
      const parsed = formatSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, reason: `The format is not valid: ${describePath(issue?.path ?? [])}: ${issue?.message}` };
      }
      const existing = parsed.data.id.startsWith(CUSTOM_FORMAT_PREFIX)
        ? await store.getCustomFormat(parsed.data.id)
        : undefined;
      // Editing a built-in format (or another debate's) always makes a copy; the original never changes.
      const formatId = existing?.debateId === debateId ? parsed.data.id : `${CUSTOM_FORMAT_PREFIX}${newId()}`;
      await store.saveCustomFormat(debateId, { ...parsed.data, id: formatId });
      return { ok: true, formatId };
    },

    async chooseFormat(session, debateId, formatId) {
      const result = await rounds.changeFormat(session, debateId, formatId);
      return result.ok ? { ok: true } : result;
    },

    async snapshotsView(session, debateId) {
      const debate = await store.getDebate(debateId);
      if (!mayReadSnapshots(session, debate)) return null;
      const snapshots: SnapshotSummary[] = [];
      for (const team of await store.listTeams(debateId)) {
        for (const snapshot of await store.listPaperSnapshots(team.id)) snapshots.push(summarize(snapshot, team));
      }
      snapshots.sort((a, b) => a.createdAt - b.createdAt || a.team.sideIndex - b.team.sideIndex);
      return { debate: toSummary(debate), snapshots };
    },

    async roundLogView(session, debateId, page = 1) {
      const debate = await store.getDebate(debateId);
      if (!isInstructorOf(session, debate)) return null;
      const format = await rounds.formatOf(debate);
      const wanted = Number.isSafeInteger(page) && page > 0 ? page : 1;
      const { entries: stored, total } = await store.listRoundAuditPage(
        debateId,
        ROUND_LOG_PAGE_SIZE,
        (wanted - 1) * ROUND_LOG_PAGE_SIZE,
      );
      const entries = stored.map((entry) => ({
        serverTime: entry.serverTime,
        actorName: entry.actorName,
        command: describeCommand(entry.command, format),
        phaseNumber: entry.phaseIndex + 1,
        outcome: entry.outcome,
        reason: entry.reason,
      }));
      return {
        debate: toSummary(debate),
        entries,
        page: wanted,
        pageCount: Math.max(1, Math.ceil(total / ROUND_LOG_PAGE_SIZE)),
      };
    },

    async snapshotView(session, debateId, snapshotId) {
      const debate = await store.getDebate(debateId);
      if (!mayReadSnapshots(session, debate)) return null;
      const snapshot = await store.getPaperSnapshot(snapshotId);
      const team = snapshot && (await store.getTeam(snapshot.teamId));
      if (!snapshot || !team || team.debateId !== debateId) return null;
      return {
        debate: toSummary(debate),
        snapshot: summarize(snapshot, team),
        stateBase64: Buffer.from(snapshot.state).toString("base64"),
      };
    },
  };
}
