import { performance } from "node:perf_hooks";
import { createDebateFromPack } from "../../server/debates";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { ClockSync } from "../../shared/clock";
import { RoundEvent, type RoundSnapshot } from "../../shared/events";
import { remainingMs } from "../../shared/round";
import {
  type RunningServer,
  roundClient,
  sessionCookie,
  startServer,
  temporaryDatabasePath,
  UNOWNED_DEBATE,
} from "../support/test-server";
import { percentile, round1 } from "./support";

/** 900 subscribers either way: a few big debates, or a class of small ones. */
const SHAPES = [
  { debates: 3, subscribersPerDebate: 300 },
  { debates: 30, subscribersPerDebate: 30 },
];
/** Start, then pause and resume ten times: the round ends running, so the spread below is of a moving clock. */
const COMMANDS = 21;
const CLOCK_SAMPLES = 8;

type Command = "start" | "pause" | "resume";

async function debateWithSubscribers(running: RunningServer, debateId: string, subscribers: number) {
  const { cookie: instructorCookie } = await sessionCookie(running.server, { role: "instructor", debateId });
  const { cookie: studentCookie } = await sessionCookie(running.server, { role: "student", debateId });
  const debate = {
    instructor: roundClient(running.url, instructorCookie),
    pending: null as { sentAt: number; latencies: number[]; received: number; done: () => void } | null,
    clients: [] as { snapshot: RoundSnapshot; clock: ClockSync; close(): void }[],
  };
  debate.clients = await Promise.all(
    Array.from({ length: subscribers }, async () => {
      const socket = roundClient(running.url, studentCookie);
      const client = {
        snapshot: null as unknown as RoundSnapshot,
        clock: new ClockSync({ now: Date.now, ping: (sentAt) => socket.emitWithAck(RoundEvent.clockPing, sentAt) }),
        close: () => socket.close(),
      };
      socket.on(RoundEvent.state, (snapshot) => {
        client.snapshot = snapshot;
        const pending = debate.pending;
        if (!pending) return;
        pending.latencies.push(performance.now() - pending.sentAt);
        pending.received++;
        if (pending.received === subscribers) pending.done();
      });
      const subscribed = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
      if (!subscribed.ok) throw new Error(subscribed.reason);
      client.snapshot = subscribed.snapshot;
      return client;
    }),
  );
  return debate;
}

type Debate = Awaited<ReturnType<typeof debateWithSubscribers>>;

/** Every debate's instructor sends the same command at once; each subscriber's latency is from its own debate's send. */
async function sendEverywhere(debates: Debate[], debateIds: string[], type: Command, latencies: number[]) {
  await Promise.all(
    debates.map(async (debate, index) => {
      const everyoneHasIt = new Promise<void>((done) => {
        debate.pending = { sentAt: performance.now(), latencies, received: 0, done };
      });
      const result = await debate.instructor.emitWithAck(RoundEvent.command, {
        debateId: debateIds[index]!,
        command: { type },
      });
      if (!result.ok) throw new Error(result.reason);
      await everyoneHasIt;
      debate.pending = null;
    }),
  );
}

/**
 * 900 socket.io subscribers in one of two shapes; every instructor sends start, then pause and
 * resume 20 times, all debates at once. Measures the time from sending a command to each
 * subscriber holding the new state, and how far apart the clients' computed remaining times are
 * at one instant after clock sync. Server and clients share this process (and its 2 cores), so
 * both figures include the clients' own work: an upper bound.
 */
async function fanOut(shape: (typeof SHAPES)[number]) {
  const database = temporaryDatabasePath();
  const running = await startServer(database.path);
  try {
    const debateIds = [(await running.server.store.listDebates())[0]!.id];
    while (debateIds.length < shape.debates) {
      debateIds.push((await createDebateFromPack(running.server.store, ESSAY_PACK, UNOWNED_DEBATE)).id);
    }
    const debates: Debate[] = [];
    for (const debateId of debateIds) {
      debates.push(await debateWithSubscribers(running, debateId, shape.subscribersPerDebate));
    }
    const clients = debates.flatMap((debate) => debate.clients);
    for (const client of clients) await client.clock.sample(CLOCK_SAMPLES);

    const latencies: number[] = [];
    const commands: Command[] = [
      "start",
      ...Array.from({ length: COMMANDS - 1 }, (_, index): Command => (index % 2 ? "resume" : "pause")),
    ];
    for (const type of commands) await sendEverywhere(debates, debateIds, type, latencies);
    latencies.sort((a, b) => a - b);

    // One instant, every client's view of it: the spread is what the room would see side by side.
    const truth = (await running.server.rounds.snapshot(debateIds[0]!))!;
    const instant = Date.now();
    const shown = debates[0]!.clients.map((client) =>
      remainingMs(client.snapshot.round, client.snapshot.format, client.clock.serverNow() + (Date.now() - instant)),
    );
    const serverRemaining = remainingMs(truth.round, truth.format, instant);
    const errors = shown.map((value) => value - serverRemaining);

    for (const client of clients) client.close();
    for (const debate of debates) debate.instructor.close();
    return {
      shape: `${shape.debates}x${shape.subscribersPerDebate}`,
      subscribers: clients.length,
      commandsPerDebate: commands.length,
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

export default async function roundsBench() {
  const lines = [];
  for (const shape of SHAPES) lines.push(await fanOut(shape));
  return lines;
}
