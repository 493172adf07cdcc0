import { describe, expect, it } from "vitest";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { RoundEvent } from "../../shared/wire/events";
import { roundClient, serverForSuite, sessionCookie } from "../support/test-server";

describe("a debate with three sides", () => {
  const suite = serverForSuite();

  it("keeps every team's paper open through Drafting, then locks and snapshots each one", async () => {
    const { services, store } = suite.running.server;
    const [seeded] = await store.listDebates();
    const instructor = await sessionCookie(suite.running.server, { role: "instructor", debateId: seeded!.id });
    const created = await services.createCustomDebate(instructor.session, {
      title: "School uniforms",
      motion: "What should our school do about uniforms?",
      sides: [
        { name: "Keep them", description: "" },
        { name: "Abolish them", description: "" },
        { name: "Let each class decide", description: "" },
      ],
      readingTitle: "",
      reading: "",
      formatId: CLASSROOM_FORMAT.id,
    });
    if (!created.ok) throw new Error(created.reason);
    const debateId = created.debateId;
    const teams = await store.listTeams(debateId);
    expect(teams.map((team) => team.sideIndex)).toEqual([0, 1, 2]);

    const socket = roundClient(suite.running.url, instructor.cookie);
    expect(await socket.emitWithAck(RoundEvent.subscribe, { debateId })).toMatchObject({ ok: true });
    expect(CLASSROOM_FORMAT.phases[0]?.papers.kind).toBe("all-open");
    expect(await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "start" } })).toMatchObject({
      ok: true,
    });
    // The first command of Drafting leaves every paper open, the third team's included.
    for (const team of await store.listTeams(debateId)) {
      expect(team.paperLocked).toBe(false);
      expect(await store.listPaperSnapshots(team.id)).toEqual([]);
    }

    expect(await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "next" } })).toMatchObject({
      ok: true,
    });
    for (const team of await store.listTeams(debateId)) {
      expect(team.paperLocked).toBe(true);
      const snapshots = await store.listPaperSnapshots(team.id);
      expect(snapshots.map((snapshot) => snapshot.name)).toEqual([
        expect.stringMatching(new RegExp(`^${team.name} paper — end of Drafting, `)),
      ]);
    }
    socket.close();
  });
});
