import { beforeAll, describe, expect, it } from "vitest";
import { createRoundPages } from "../../server/rounds/round-pages";
import { paperDocumentId } from "../../shared/papers/documents";
import { CLASSROOM_FORMAT, minutes, PUBLIC_FORUM_FORMAT, standardSignals } from "../../shared/rounds/formats";
import type { SessionInfo } from "../../shared/session";
import { RoundEvent } from "../../shared/wire/events";
import { eventually, roundClient, serverForSuite, sessionCookie, yjsClient } from "../support/test-server";

describe("the round service", () => {
  const suite = serverForSuite();
  let debateId: string;
  let instructor: { cookie: string; session: SessionInfo };

  beforeAll(async () => {
    debateId = (await suite.running.server.store.listDebates())[0]!.id;
    instructor = await sessionCookie(suite.running.server, { role: "instructor", debateId, displayName: "Ms Okafor" });
  });

  it("audits every command, applied or refused, with who and when", async () => {
    const socket = roundClient(suite.running.url, instructor.cookie);
    const before = Date.now();
    expect((await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "pause" } })).ok).toBe(false);
    expect((await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "start" } })).ok).toBe(true);
    const student = await sessionCookie(suite.running.server, { role: "student", debateId, displayName: "Ben" });
    const forged = roundClient(suite.running.url, student.cookie);
    expect(await forged.emitWithAck(RoundEvent.command, { debateId, command: { type: "next" } })).toEqual({
      ok: false,
      status: 403,
      reason: "Only this debate's instructor runs the round",
    });
    const audit = await suite.running.server.store.listRoundAudit(debateId);
    expect(audit.map(({ actorName, command, outcome, reason }) => ({ actorName, command, outcome, reason }))).toEqual([
      {
        actorName: "Ms Okafor",
        command: { type: "pause" },
        outcome: "refused",
        reason: "Cannot pause: the phase is idle",
      },
      { actorName: "Ms Okafor", command: { type: "start" }, outcome: "applied", reason: null },
      {
        actorName: "Ben",
        command: { type: "next" },
        outcome: "refused",
        reason: "Only this debate's instructor runs the round",
      },
    ]);
    for (const entry of audit) expect(entry.serverTime).toBeGreaterThanOrEqual(before);
    expect(audit[1]!.sessionId).toBe(instructor.session.id);
    expect((await suite.running.server.store.getRound(debateId))?.state).toBe("running");

    const log = await suite.running.server.services.roundLogView(instructor.session, debateId);
    if (!log.ok) throw new Error(log.reason);
    expect(log.view.entries.map(({ actorName, outcome }) => [actorName, outcome])).toEqual([
      ["Ben", "refused"],
      ["Ms Okafor", "applied"],
      ["Ms Okafor", "refused"],
    ]);
    expect(await suite.running.server.services.roundLogView(student.session, debateId)).toEqual({
      ok: false,
      status: 403,
      reason: "Only this debate's instructor can do that.",
    });
    socket.close();
    forged.close();
  });

  it("locks the papers with a named snapshot when drafting ends, and tells open editors at once", async () => {
    const teams = await suite.running.server.store.listTeams(debateId);
    const team = teams[0]!;
    const student = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: team.id });
    const writer = yjsClient(suite.running.wsUrl, paperDocumentId(team.id), student.cookie);
    await writer.synced();
    const socket = roundClient(suite.running.url, instructor.cookie);
    const watcher = roundClient(suite.running.url, student.cookie);
    const seen: string[] = [];
    watcher.on(RoundEvent.state, (snapshot) => seen.push(snapshot.format.phases[snapshot.round.phaseIndex]!.name));
    await watcher.emitWithAck(RoundEvent.subscribe, { debateId });

    const next = await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "next" } });
    expect(next.ok).toBe(true);
    await eventually(() => seen.includes("Opening statement A"), 5000, "the broadcast");
    for (const each of await suite.running.server.store.listTeams(debateId)) expect(each.paperLocked).toBe(true);
    const snapshots = await suite.running.server.store.listPaperSnapshots(team.id);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.name).toMatch(new RegExp(`^${team.name} paper — end of Drafting, \\d\\d:\\d\\d:\\d\\d$`));
    const room = await suite.running.server.yjs.registry.peek(paperDocumentId(team.id));
    expect([...room!.connections.values()].map((connection) => connection.access)).toEqual(["read"]);

    // Back to drafting: the papers open again; no new snapshot, since nothing was locked.
    await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "previous" } });
    for (const each of await suite.running.server.store.listTeams(debateId)) expect(each.paperLocked).toBe(false);
    expect(await suite.running.server.store.listPaperSnapshots(team.id)).toHaveLength(1);
    writer.destroy();
    socket.close();
    watcher.close();
  });

  it("stores an edited copy of a format and runs the round with it", async () => {
    const socket = roundClient(suite.running.url, instructor.cookie);
    const watcher = roundClient(suite.running.url, instructor.cookie);
    let formatName = "";
    watcher.on(RoundEvent.state, (snapshot) => {
      formatName = snapshot.format.name;
    });
    await watcher.emitWithAck(RoundEvent.subscribe, { debateId });
    const services = createRoundPages(suite.running.server.store, suite.running.server.rounds);
    const edited = {
      ...PUBLIC_FORUM_FORMAT,
      name: "Short Public Forum",
      phases: PUBLIC_FORUM_FORMAT.phases
        .slice(0, 3)
        .map((phase) => ({ ...phase, durationMs: minutes(1), signals: standardSignals(minutes(1)) })),
    };
    const saved = await services.saveCustomFormat(instructor.session, debateId, edited);
    if (!saved.ok) throw new Error(saved.reason);
    expect(saved.formatId).not.toBe(PUBLIC_FORUM_FORMAT.id);
    expect(await services.saveCustomFormat(instructor.session, debateId, { ...edited, phases: [] })).toMatchObject({
      ok: false,
    });

    expect(await services.chooseFormat(instructor.session, debateId, saved.formatId)).toEqual({ ok: true });
    await eventually(() => formatName === "Short Public Forum", 5000, "the new format");
    const started = await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "start" } });
    if (!started.ok) throw new Error(started.reason);
    expect(started.snapshot.format.phases).toHaveLength(3);
    expect(await services.chooseFormat(instructor.session, debateId, CLASSROOM_FORMAT.id)).toEqual({
      ok: false,
      status: 409,
      reason: "The round is under way: finish it or reset the phase before changing the format",
    });
    const student = await sessionCookie(suite.running.server, { role: "student", debateId });
    expect(await services.formatsView(student.session, debateId)).toMatchObject({ ok: false, status: 403 });
    socket.close();
    watcher.close();
  });
});
