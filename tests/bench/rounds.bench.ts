import { performance } from "node:perf_hooks";
import { ClockSync } from "../../shared/clock";
import { RoundEvent, type RoundSnapshot } from "../../shared/events";
import { remainingMs } from "../../shared/round";
import { roundClient, sessionCookie, startServer, temporaryDatabasePath } from "../support/test-server";

const CLIENTS = 900;
/** Start, then pause and resume ten times: the round ends running, so the spread below is of a moving clock. */
const COMMANDS = 21;
const CLOCK_SAMPLES = 8;

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * 900 socket.io clients watch one debate; the instructor sends pause/resume 20 times. Measures
 * the time from sending a command to each client holding the new state, and how far apart the
 * clients' computed remaining times are at one instant after clock sync. Server and clients share
 * this process (and its 2 cores), so both figures include the clients' own work: an upper bound.
 */
export default async function roundsBench() {
  const database = temporaryDatabasePath();
  const running = await startServer(database.path);
  try {
    const debateId = (await running.server.store.listDebates())[0]!.id;
    const { cookie: instructorCookie } = await sessionCookie(running.server, { role: "instructor", debateId });
    const { cookie: studentCookie } = await sessionCookie(running.server, { role: "student", debateId });
    const instructor = roundClient(running.url, instructorCookie);

    let pending: { sentAt: number; latencies: number[]; received: number; done: () => void } | null = null;
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const socket = roundClient(running.url, studentCookie);
        const client = {
          socket,
          snapshot: null as RoundSnapshot | null,
          clock: new ClockSync({
            now: Date.now,
            ping: (sentAt) => socket.emitWithAck(RoundEvent.clockPing, sentAt),
          }),
        };
        socket.on(RoundEvent.state, (snapshot) => {
          client.snapshot = snapshot;
          if (!pending) return;
          pending.latencies.push(performance.now() - pending.sentAt);
          pending.received++;
          if (pending.received === CLIENTS) pending.done();
        });
        const subscribed = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
        if (!subscribed.ok) throw new Error(subscribed.reason);
        client.snapshot = subscribed.snapshot;
        return client;
      }),
    );
    for (const client of clients) await client.clock.sample(CLOCK_SAMPLES);

    const latencies: number[] = [];
    const commands = ["start", ...Array.from({ length: COMMANDS - 1 }, (_, index) => (index % 2 ? "resume" : "pause"))];
    for (const type of commands as ("start" | "pause" | "resume")[]) {
      const everyoneHasIt = new Promise<void>((done) => {
        pending = { sentAt: performance.now(), latencies, received: 0, done };
      });
      const result = await instructor.emitWithAck(RoundEvent.command, { debateId, command: { type } });
      if (!result.ok) throw new Error(result.reason);
      await everyoneHasIt;
      pending = null;
    }
    latencies.sort((a, b) => a - b);

    // One instant, every client's view of it: the spread is what the room would see side by side.
    const truth = (await running.server.rounds.snapshot(debateId))!;
    const instant = Date.now();
    const shown = clients.map((client) =>
      remainingMs(client.snapshot!.round, client.snapshot!.format, client.clock.serverNow() + (Date.now() - instant)),
    );
    const serverRemaining = remainingMs(truth.round, truth.format, instant);
    const errors = shown.map((value) => value - serverRemaining);

    for (const client of clients) client.socket.close();
    instructor.close();
    return {
      clients: CLIENTS,
      commands: commands.length,
      commandToStateMs: {
        p50: round1(percentile(latencies, 0.5)),
        p99: round1(percentile(latencies, 0.99)),
        max: round1(latencies.at(-1)!),
      },
      remainingSpreadMs: round1(Math.max(...shown) - Math.min(...shown)),
      worstErrorVsServerMs: round1(Math.max(...errors.map(Math.abs))),
    };
  } finally {
    await running.server.close();
    database.remove();
  }
}
