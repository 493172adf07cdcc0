import { performance } from "node:perf_hooks";
import { SessionCookies } from "../../server/auth/session-cookie";
import { createDebateFromPack } from "../../server/classroom/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import { ClockSync } from "../../shared/rounds/clock-sync";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { remainingMs } from "../../shared/rounds/round";
import { RoundEvent, type RoundSnapshot } from "../../shared/wire/events";
import { type SpawnedServer, spawnServer } from "../support/spawn-server";
import { roundClient, temporaryDatabasePath } from "../support/test-server";
import { percentile, processCpuSeconds, round1 } from "./support";

/** 900 subscribers either way: a few big debates, or a class of small ones. */
const SHAPES = [
  { debates: 3, subscribersPerDebate: 300 },
  { debates: 30, subscribersPerDebate: 30 },
];
/** Start, then pause and resume ten times: the round ends running, so the spread below is of a moving clock. */
const COMMANDS = 21;
const CLOCK_SAMPLES = 8;
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

type Command = "start" | "pause" | "resume";

interface PreparedDebate {
  debateId: string;
  instructorCookie: string;
  studentCookie: string;
}

/** Debates owned by one instructor account, a student session in each, written before the server starts. */
async function prepareDebates(databasePath: string, count: number): Promise<PreparedDebate[]> {
  const store = openSqliteStore(databasePath);
  const cookies = new SessionCookies(SECRET, false);
  const cookie = (sessionId: string) => cookies.serialize(sessionId).split(";")[0]!;
  const accountId = newId();
  await store.createAccount({ id: accountId, name: "Instructor", email: "bench@example.test", passwordHash: "x" });
  const instructorSession = newId();
  await store.createAccountSession(instructorSession, accountId);
  const prepared: PreparedDebate[] = [];
  while (prepared.length < count) {
    const debate = await createDebateFromPack(store, ESSAY_PACK, {
      ownerId: accountId,
      formatId: CLASSROOM_FORMAT.id,
      teamMode: "choose",
    });
    const studentSession = newId();
    await store.createSession({
      id: studentSession,
      role: "student",
      accountId: null,
      displayName: "Student",
      debateId: debate.id,
      teamId: null,
      color: "#047857",
    });
    prepared.push({
      debateId: debate.id,
      instructorCookie: cookie(instructorSession),
      studentCookie: cookie(studentSession),
    });
  }
  await store.close();
  return prepared;
}

async function debateWithSubscribers(server: SpawnedServer, prepared: PreparedDebate, subscribers: number) {
  const { debateId, instructorCookie, studentCookie } = prepared;
  const debate = {
    instructor: roundClient(server.url, instructorCookie),
    pending: null as { sentAt: number; latencies: number[]; received: number; done: () => void } | null,
    clients: [] as { snapshot: RoundSnapshot; clock: ClockSync; close(): void }[],
  };
  debate.clients = await Promise.all(
    Array.from({ length: subscribers }, async () => {
      const socket = roundClient(server.url, studentCookie);
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
 * at one instant after clock sync. The server runs in its own process (as `npm start` runs it);
 * the 900 clients share this one, so latency includes their own parsing: an upper bound.
 */
async function fanOut(shape: (typeof SHAPES)[number]) {
  const database = temporaryDatabasePath();
  const prepared = await prepareDebates(database.path, shape.debates);
  const debateIds = prepared.map((debate) => debate.debateId);
  const server = await spawnServer({
    databasePath: database.path,
    env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error" },
    runtime: "build",
  });
  try {
    const debates: Debate[] = [];
    for (const debate of prepared)
      debates.push(await debateWithSubscribers(server, debate, shape.subscribersPerDebate));
    const clients = debates.flatMap((debate) => debate.clients);
    for (const client of clients) await client.clock.sample(CLOCK_SAMPLES);

    const latencies: number[] = [];
    const cpuBefore = processCpuSeconds(server.child.pid!);
    const commands: Command[] = [
      "start",
      ...Array.from({ length: COMMANDS - 1 }, (_, index): Command => (index % 2 ? "resume" : "pause")),
    ];
    for (const type of commands) await sendEverywhere(debates, debateIds, type, latencies);
    const serverCpuMs = (processCpuSeconds(server.child.pid!) - cpuBefore) * 1000;
    latencies.sort((a, b) => a - b);

    // One instant, every client's view of it: the spread is what the room would see side by side.
    const truth = debates[0]!.clients[0]!.snapshot;
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
      serverCpuMsPerCommand: round1(serverCpuMs / (commands.length * shape.debates)),
      remainingSpreadMs: round1(Math.max(...shown) - Math.min(...shown)),
      worstErrorVsServerMs: round1(Math.max(...errors.map(Math.abs))),
    };
  } finally {
    await server.stop();
    database.remove();
  }
}

export default async function roundsBench() {
  const lines = [];
  for (const shape of SHAPES) lines.push(await fanOut(shape));
  return lines;
}
