import { type ControlCommand, controlCommandSchema } from "../../shared/classroom/rules";
import type { ControlView, PaperHealthView } from "../../shared/classroom/views";
import { invalid, notFound, type Outcome, refused } from "../../shared/outcome";
import { paperDocumentId } from "../../shared/papers/documents";
import type { CaucusServices } from "../../shared/services";
import type { SessionInfo } from "../../shared/session";
import { debateGuard } from "../guard";
import { newId } from "../ids";
import type { DebateRecord, Store, TeamRecord } from "../store/types";
import { unusedJoinCode } from "./debates";
import type { LiveConnections } from "./live-connections";
import { participantViews, peopleOf, rosterDoubts } from "./roster";
import { toSummary, toTeamView } from "./views";

/** The control room's page and its commands: codes, settings, the roster, papers' health, archive and delete. */
export function createControlRoomServices(
  store: Store,
  live: LiveConnections,
): Pick<CaucusServices, "controlView" | "control"> {
  const debateFor = debateGuard(store);

  /** Cuts or re-decides every live connection to the debate's papers. */
  async function refreshPapers(debateId: string): Promise<void> {
    const teams = await store.listTeams(debateId);
    await Promise.all(teams.map((team) => live.refreshAccess(paperDocumentId(team.id))));
  }

  async function paperHealth(team: TeamRecord): Promise<PaperHealthView> {
    const docId = paperDocumentId(team.id);
    const [size, setAside, snapshots] = await Promise.all([
      live.size(docId),
      store.listQuarantinedUpdates(docId),
      store.listPaperSnapshots(team.id),
    ]);
    return {
      teamId: team.id,
      bytes: size.bytes,
      limitBytes: size.limit,
      setAside: setAside.length,
      snapshots: snapshots.map((snapshot) => ({ id: snapshot.id, name: snapshot.name })),
    };
  }

  async function applyControl(
    session: SessionInfo,
    debate: DebateRecord,
    command: ControlCommand,
  ): Promise<Outcome<{ deleted: boolean }>> {
    const done = { ok: true as const, deleted: false };
    switch (command.intent) {
      case "rotate-code": {
        const value = command.which === "audience" ? newId() : await unusedJoinCode(store);
        await store.setDebateCode(debate.id, command.which, value);
        return done;
      }
      case "team-mode":
        await store.updateDebateSettings(debate.id, { teamMode: command.teamMode });
        return done;
      case "reveal":
        await store.updateDebateSettings(debate.id, { revealPolicy: command.revealPolicy });
        await refreshPapers(debate.id);
        return done;
      case "code-names":
        await store.updateDebateSettings(debate.id, { codeNames: command.codeNames === "on" });
        // Open papers take the new names at once: presence names are decided by the server.
        await refreshPapers(debate.id);
        return done;
      case "let-back":
        if (!(await store.liftBan(debate.id, command.banId))) return notFound("removal", "this debate");
        return done;
      case "rename-debate":
        await store.updateDebateSettings(debate.id, { title: command.title });
        return done;
      case "archive":
        await store.updateDebateSettings(debate.id, { archivedAt: command.archived === "yes" ? Date.now() : null });
        // Writers become readers at once (and back when the debate is reopened).
        await refreshPapers(debate.id);
        return done;
      case "delete": {
        const participants = await store.listParticipants(debate.id);
        const teams = await store.listTeams(debate.id);
        await store.deleteDebate(debate.id);
        await Promise.all(teams.map((team) => live.refreshAccess(paperDocumentId(team.id))));
        for (const session of participants) live.endSession(session.id);
        return { ok: true, deleted: true };
      }
      case "restore": {
        const snapshot = await store.getPaperSnapshot(command.snapshotId);
        const team = snapshot && (await store.getTeam(snapshot.teamId));
        if (!snapshot || !team || team.debateId !== debate.id) return notFound("snapshot", "this debate");
        await live.restore(paperDocumentId(team.id), snapshot.state, session.id);
        return done;
      }
      case "rename": {
        const target = await store.getSession(command.sessionId);
        if (!target || target.debateId !== debate.id) return refused(404, "That person is not in this debate.");
        await store.renameSession(target.id, command.name);
        return done;
      }
      case "move":
      case "move-many": {
        const ids = command.intent === "move" ? [command.sessionId] : command.sessionIds;
        const team = await store.getTeam(command.teamId);
        if (!team || team.debateId !== debate.id) return notFound("team", "this debate");
        const targets = await peopleOf(store, debate, ids);
        if (!targets.ok) return targets;
        if (targets.people.some((target) => target.role !== "student"))
          return refused(400, "Only students are on teams.");
        for (const target of targets.people) await store.setSessionTeam(target.id, team.id);
        await refreshPapers(debate.id);
        return done;
      }
      case "remove":
      case "remove-many": {
        const targets = await peopleOf(
          store,
          debate,
          command.intent === "remove" ? [command.sessionId] : command.sessionIds,
        );
        if (!targets.ok) return targets;
        const devices = await store.listSessionDevices(debate.id);
        for (const target of targets.people) {
          // Removal keeps that browser out until the instructor lets it back (decision 084).
          const device = devices.find((entry) => entry.sessionId === target.id);
          if (device) {
            await store.banDevice({
              id: newId(),
              debateId: debate.id,
              deviceId: device.deviceId,
              displayName: target.displayName,
            });
          }
          await store.deleteSession(target.id);
          live.endSession(target.id);
        }
        await refreshPapers(debate.id);
        return done;
      }
    }
  }

  return {
    async controlView(session, debateId) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const { debate } = found;
      const teams = await store.listTeams(debateId);
      const people = await participantViews(store, live, debate, teams);
      const view: ControlView = {
        debate: toSummary(debate),
        studentCode: debate.studentCode,
        judgeCode: debate.judgeCode,
        audienceKey: debate.audienceKey,
        teamMode: debate.teamMode,
        revealPolicy: debate.revealPolicy,
        codeNames: debate.codeNames,
        teams: teams.map(toTeamView),
        papers: await Promise.all(teams.map(paperHealth)),
        students: people.filter((person) => person.role === "student"),
        judges: people.filter((person) => person.role === "judge"),
        audienceCount: people.filter((person) => person.role === "audience").length,
        releaseStage: (await store.getJudgingSettings(debateId))?.releaseStage ?? "none",
        doubts: await rosterDoubts(store, debate.id, people),
        removed: (await store.listBans(debateId)).map((ban) => ({
          banId: ban.id,
          displayName: ban.displayName,
          removedAt: ban.bannedAt,
        })),
      };
      return { ok: true, view };
    },

    async control(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = controlCommandSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const result = await applyControl(found.session, found.debate, parsed.data);
      if (result.ok && !result.deleted) live.controlChanged(debateId);
      return result;
    },
  };
}
