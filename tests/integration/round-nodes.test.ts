import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE, type RoundCommand } from "../../shared/rounds/round";
import { RoundEvent } from "../../shared/wire/events";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { type RunningServer, roundClient, sessionCookie, startServer } from "../support/test-server";

const reachable = await postgresReachable("round commands from two nodes: PostgreSQL");

/**
 * Two servers on one PostgreSQL database, as two nodes behind a load balancer: an instructor's
 * commands reach both at the same moment. Without round versions both would apply theirs to the
 * same state and the audit would show two starts (decision 121).
 */
describe.runIf(reachable)("round commands from two nodes on one PostgreSQL database", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let nodeA: RunningServer;
  let nodeB: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    nodeA = await startServer("", { databaseUrl: database.url });
    nodeB = await startServer("", { databaseUrl: database.url });
  });

  afterAll(async () => {
    await nodeA?.server.close();
    await nodeB?.server.close();
    await database?.drop();
  });

  it("applies each command once, in one order, and the audit replays to the stored state", async () => {
    const [debate] = await nodeA.server.store.listDebates();
    const debateId = debate!.id;
    const { cookie } = await sessionCookie(nodeA.server, { role: "instructor", debateId, displayName: "Ms Okafor" });
    const onA = roundClient(nodeA.url, cookie);
    const onB = roundClient(nodeB.url, cookie);
    const send = (socket: typeof onA, command: RoundCommand) =>
      socket.emitWithAck(RoundEvent.command, { debateId, command });

    for (const command of [{ type: "start" }, { type: "pause" }, { type: "resume" }] as RoundCommand[]) {
      const outcomes = await Promise.all([send(onA, command), send(onB, command)]);
      // The same command twice at once: one node applies it, the other re-applies it to the new
      // state, where it is refused (a round cannot start twice).
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    }

    const audit = await nodeB.server.store.listRoundAudit(debateId);
    const applied = audit.filter((entry) => entry.outcome === "applied");
    expect(applied.map((entry) => entry.command.type)).toEqual(["start", "pause", "resume"]);
    let replayed = INITIAL_ROUND_STATE;
    for (const entry of applied) {
      const next = applyRoundCommand(replayed, entry.command, CLASSROOM_FORMAT, entry.serverTime);
      if (!next.ok) throw new Error(next.reason);
      replayed = next.state;
    }
    const stored = await nodeA.server.store.getVersionedRound(debateId);
    expect(stored).toEqual({ round: replayed, version: 3 });
    onA.close();
    onB.close();
  });
});
