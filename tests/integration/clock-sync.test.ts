import { beforeAll, describe, expect, it } from "vitest";
import { ClockSync, INITIAL_CLOCK_SAMPLES } from "../../shared/rounds/clock-sync";
import { remainingMs } from "../../shared/rounds/round";
import { RoundEvent, type RoundSnapshot } from "../../shared/wire/events";
import { eventually, roundClient, serverForSuite, sessionCookie } from "../support/test-server";

const CLIENTS = 30;
const MAX_SKEW_MS = 5 * 60_000;
const MAX_LINK_DELAY_MS = 80;
const TOLERANCE_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const linkDelay = () => sleep(Math.random() * MAX_LINK_DELAY_MS);

describe("clock sync", () => {
  const suite = serverForSuite();
  let debateId: string;

  beforeAll(async () => {
    debateId = (await suite.running.server.store.listDebates())[0]!.id;
  });

  it("30 clients with clocks 5 min off and 0–80 ms jittery links agree with the server within 20 ms", async () => {
    const { cookie: instructorCookie } = await sessionCookie(suite.running.server, { role: "instructor", debateId });
    const instructor = roundClient(suite.running.url, instructorCookie);

    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, index) => {
        const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId });
        const socket = roundClient(suite.running.url, cookie);
        // Spread skews over the whole range, ends included.
        const skewMs = -MAX_SKEW_MS + (2 * MAX_SKEW_MS * index) / (CLIENTS - 1);
        const localNow = () => Date.now() + skewMs;
        const clock = new ClockSync({
          now: localNow,
          // The device's link delays each leg of every exchange by its own random 0–80 ms.
          ping: async (sentAt) => {
            await linkDelay();
            const serverNow = await socket.emitWithAck(RoundEvent.clockPing, sentAt);
            await linkDelay();
            return serverNow;
          },
        });
        const client = { socket, clock, skewMs, snapshot: null as RoundSnapshot | null };
        socket.on(RoundEvent.state, (snapshot) => {
          client.snapshot = snapshot;
        });
        const subscribed = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
        expect(subscribed.ok).toBe(true);
        await clock.sample(INITIAL_CLOCK_SAMPLES);
        return client;
      }),
    );

    const started = await instructor.emitWithAck(RoundEvent.command, { debateId, command: { type: "start" } });
    expect(started.ok).toBe(true);
    await eventually(() => clients.every((client) => client.snapshot?.round.state === "running"), 5000, "the state");

    const server = (await suite.running.server.rounds.snapshot(debateId))!;
    const disagreements = clients.map((client) => {
      const snapshot = client.snapshot!;
      const shown = remainingMs(snapshot.round, snapshot.format, client.clock.serverNow());
      const truth = remainingMs(server.round, server.format, Date.now());
      return shown - truth;
    });
    const worst = Math.max(...disagreements.map(Math.abs));
    console.log(`clock sync: worst disagreement ${worst.toFixed(1)} ms over ${CLIENTS} clients`);
    for (const [index, disagreement] of disagreements.entries()) {
      expect(Math.abs(disagreement), `client ${index} (skew ${clients[index]!.skewMs} ms)`).toBeLessThanOrEqual(
        TOLERANCE_MS,
      );
    }
    for (const client of clients) client.socket.close();
    instructor.close();
  });
});
