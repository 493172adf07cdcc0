import { invalid, notFound } from "../../shared/outcome";
import { BUILT_IN_FORMATS, CUSTOM_FORMAT_PREFIX, formatSchema } from "../../shared/rounds/formats";
import { describeCommand, INITIAL_ROUND_STATE } from "../../shared/rounds/round";
import { ROUND_LOG_PAGE_SIZE, type RoundPageServices, type SnapshotSummary } from "../../shared/rounds/views";
import { toSummary, toTeamView } from "../classroom/views";
import { debateGuard } from "../guard";
import { newId } from "../ids";
import type { PaperSnapshotRecord, Store, TeamRecord } from "../store/types";
import type { RoundService } from "./round-service";

export function createRoundPages(store: Store, rounds: RoundService): RoundPageServices {
  const requireDebate = debateGuard(store);
  function summarize(snapshot: PaperSnapshotRecord, team: TeamRecord): SnapshotSummary {
    return { id: snapshot.id, name: snapshot.name, team: toTeamView(team), createdAt: snapshot.createdAt };
  }

  return {
    async formatsView(session, debateId) {
      const found = await requireDebate(session, debateId, "manage");
      if (!found.ok) return found;
      const current = await rounds.formatOf(found.debate);
      const view = {
        debate: toSummary(found.debate),
        currentFormatId: current.id,
        roundState: ((await store.getRound(debateId)) ?? INITIAL_ROUND_STATE).state,
        teams: (await store.listTeams(debateId)).map(toTeamView),
        builtIn: [...BUILT_IN_FORMATS],
        custom: await store.listCustomFormats(debateId),
      };
      return { ok: true, view };
    },

    async saveCustomFormat(session, debateId, input) {
      const found = await requireDebate(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = formatSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error, "The format is not valid");
      const existing = parsed.data.id.startsWith(CUSTOM_FORMAT_PREFIX)
        ? await store.getCustomFormat(parsed.data.id)
        : undefined;
      // Editing a built-in format (or another debate's) always makes a copy; the original never changes.
      const formatId = existing?.debateId === debateId ? parsed.data.id : `${CUSTOM_FORMAT_PREFIX}${newId()}`;
      await store.saveCustomFormat(debateId, { ...parsed.data, id: formatId });
      return { ok: true, formatId };
    },

    async chooseFormat(session, debateId, formatId) {
      const found = await requireDebate(session, debateId, "manage");
      if (!found.ok) return found;
      const result = await rounds.changeFormat(found.session, debateId, formatId);
      return result.ok ? { ok: true } : result;
    },

    async snapshotsView(session, debateId) {
      const found = await requireDebate(session, debateId, "read-snapshots");
      if (!found.ok) return found;
      const snapshots: SnapshotSummary[] = [];
      for (const team of await store.listTeams(debateId)) {
        for (const snapshot of await store.listPaperSnapshots(team.id)) snapshots.push(summarize(snapshot, team));
      }
      snapshots.sort((a, b) => a.createdAt - b.createdAt || a.team.sideIndex - b.team.sideIndex);
      return { ok: true, view: { debate: toSummary(found.debate), snapshots } };
    },

    async roundLogView(session, debateId, page = 1) {
      const found = await requireDebate(session, debateId, "manage");
      if (!found.ok) return found;
      const format = await rounds.formatOf(found.debate);
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
        ok: true,
        view: {
          debate: toSummary(found.debate),
          entries,
          page: wanted,
          pageCount: Math.max(1, Math.ceil(total / ROUND_LOG_PAGE_SIZE)),
        },
      };
    },

    async snapshotView(session, debateId, snapshotId) {
      const found = await requireDebate(session, debateId, "read-snapshots");
      // Anyone who may not read it gets the same 404 as for a missing one, so snapshot ids cannot be probed.
      if (!found.ok) return found.status === 401 ? found : notFound("snapshot", "this debate");
      const snapshot = await store.getPaperSnapshot(snapshotId);
      const team = snapshot && (await store.getTeam(snapshot.teamId));
      if (!snapshot || !team || team.debateId !== debateId) return notFound("snapshot", "this debate");
      return {
        ok: true,
        view: {
          debate: toSummary(found.debate),
          snapshot: summarize(snapshot, team),
          stateBase64: Buffer.from(snapshot.state).toString("base64"),
        },
      };
    },
  };
}
