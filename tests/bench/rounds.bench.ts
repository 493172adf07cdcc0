import { type ChildProcess, fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { SessionCookies } from "../../server/auth/session-cookie";
import { createDebateFromPack } from "../../server/classroom/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { remainingMs } from "../../shared/rounds/round";
import { RoundEvent, type RoundSnapshot } from "../../shared/wire/events";
import { spawnServer } from "../support/spawn-server";
import { roundClient, temporaryDatabasePath } from "../support/test-server";
import type { SubscriberReport, SubscriberRequest } from "./round-subscribers";
import { percentile, processCpuSeconds, round1 } from "./support";

/** 900 subscribers either way: a few big debates, or a class of small ones. */
const SHAPES = [
  { debates: 3, subscribersPerDebate: 300 },
  { debates: 30, subscribersPerDebate: 30 },
];
/** Start, then pause and resume ten times: the round ends running, so the spread below is of a moving clock. */
const COMMANDS = 21;
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

/** Subscriber processes: each debate's subscribers are dealt out over them, so no debate waits on one event loop. */
const SUBSCRIBER_PROCESSES = 4;

const sharedClockNow = () => performance.timeOrigin + performance.now();

type Received = Extract<SubscriberReport, { type: "received" }>;

interface SubscriberProcess {
  child: ChildProcess;
  send(request: SubscriberRequest): void;
  /** The next report of this type. */
  next<T extends SubscriberReport["type"]>(type: T): Promise<Extract<SubscriberReport, { type: T }>>;
}

function forkSubscriberProcess(onReceived: (report: Received) => void): SubscriberProcess {
  const child = fork(fileURLToPath(new URL("./round-subscribers.ts", import.meta.url)), { stdio: "inherit" });
  const waiting = new Map<string, (report: SubscriberReport) => void>();
  child.on("message", (report: SubscriberReport) => {
    if (report.type === "received") return onReceived(report);
    const resolve = waiting.get(report.type);
    waiting.delete(report.type);
    resolve?.(report);
  });
  return {
    child,
    send: (request) => child.send(request),
    next: (type) =>
      new Promise((resolve, reject) => {
        waiting.set(type, resolve as (report: SubscriberReport) => void);
        child.once("exit", (code) => reject(new Error(`A subscriber process exited (${code}) before "${type}"`)));
      }),
  };
}

/** Splits `total` subscribers over the processes as evenly as it goes. */
const share = (total: number, index: number) =>
  Math.floor(total / SUBSCRIBER_PROCESSES) + (index < total % SUBSCRIBER_PROCESSES ? 1 : 0);

/** Every subscriber process's answer of one type to one request. */
function askAll<T extends SubscriberReport["type"]>(
  processes: SubscriberProcess[],
  type: T,
  request: (index: number) => SubscriberRequest,
) {
  return Promise.all(
    processes.map((subscriberProcess, index) => {
      const answer = subscriberProcess.next(type);
      subscriberProcess.send(request(index));
      return answer;
    }),
  );
}

/**
 * 900 socket.io subscribers in one of two shapes, spread over SUBSCRIBER_PROCESSES client
 * processes; every instructor (in this process) sends start, then pause and resume 20 times, all
 * debates at once. Measures the time from sending a command to each subscriber holding the new
 * state (send and receive stamped on the machine's shared clock), the server's CPU per wave of
 * commands, and how far apart the clients' computed remaining times are at one instant after
 * clock sync. The server runs in its own process, as `npm start` runs it.
 */
async function fanOut(shape: (typeof SHAPES)[number]) {
  const database = temporaryDatabasePath();
  const prepared = await prepareDebates(database.path, shape.debates);
  const server = await spawnServer({
    databasePath: database.path,
    env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error" },
    runtime: "build",
  });
  const latencies: number[] = [];
  /** Per debate, the wave in flight: when its command was sent and how many subscribers still lack it. */
  const inFlight = new Map<string, { wave: number; sentAt: number; missing: number; done: () => void }>();
  const onReceived = ({ debateId, wave, receivedAt }: Received) => {
    const pending = inFlight.get(debateId);
    if (!pending || pending.wave !== wave) throw new Error(`Wave ${wave} of ${debateId} arrived out of turn`);
    for (const at of receivedAt) latencies.push(at - pending.sentAt);
    pending.missing -= receivedAt.length;
    if (pending.missing === 0) pending.done();
  };
  const processes = Array.from({ length: SUBSCRIBER_PROCESSES }, () => forkSubscriberProcess(onReceived));
  const instructors = prepared.map((debate) => roundClient(server.url, debate.instructorCookie));
  try {
    await askAll(processes, "ready", (index) => ({
      type: "connect",
      url: server.url,
      debates: prepared.map((debate) => ({
        debateId: debate.debateId,
        cookie: debate.studentCookie,
        count: share(shape.subscribersPerDebate, index),
      })),
    }));

    const commands: Command[] = [
      "start",
      ...Array.from({ length: COMMANDS - 1 }, (_, index): Command => (index % 2 ? "resume" : "pause")),
    ];
    const serverCpuBefore = processCpuSeconds(server.child.pid!);
    const subscriberCpuBefore = processes.map(({ child }) => processCpuSeconds(child.pid!));
    let lastSnapshot: RoundSnapshot | undefined;
    for (const [index, type] of commands.entries()) {
      await Promise.all(
        prepared.map(async ({ debateId }, debateIndex) => {
          const everyoneHasIt = new Promise<void>((done) => {
            inFlight.set(debateId, {
              wave: index + 1,
              sentAt: sharedClockNow(),
              missing: shape.subscribersPerDebate,
              done,
            });
          });
          const result = await instructors[debateIndex]!.emitWithAck(RoundEvent.command, {
            debateId,
            command: { type },
          });
          if (!result.ok) throw new Error(result.reason);
          if (debateIndex === 0) lastSnapshot = result.snapshot;
          await everyoneHasIt;
        }),
      );
    }
    const serverCpuMs = (processCpuSeconds(server.child.pid!) - serverCpuBefore) * 1000;
    const subscriberCpuMs = processes.map(
      ({ child }, index) => (processCpuSeconds(child.pid!) - subscriberCpuBefore[index]!) * 1000,
    );
    latencies.sort((a, b) => a - b);

    // One instant, every subscriber's view of it: the spread is what the room would see side by side.
    const instant = Date.now();
    const shown = (
      await askAll(processes, "shown", () => ({ type: "show", debateId: prepared[0]!.debateId, atEpochMs: instant }))
    ).flatMap((reply) => reply.shownMs);
    const serverRemaining = remainingMs(lastSnapshot!.round, lastSnapshot!.format, instant);
    const errors = shown.map((value) => value - serverRemaining);

    return {
      shape: `${shape.debates}x${shape.subscribersPerDebate}`,
      subscribers: shape.debates * shape.subscribersPerDebate,
      subscriberProcesses: SUBSCRIBER_PROCESSES,
      commandsPerDebate: commands.length,
      commandToStateMs: {
        p50: round1(percentile(latencies, 0.5)),
        p99: round1(percentile(latencies, 0.99)),
        max: round1(latencies.at(-1)!),
      },
      serverCpuMsPerWave: round1(serverCpuMs / commands.length),
      serverCpuMsPerCommand: round1(serverCpuMs / (commands.length * shape.debates)),
      subscriberProcessCpuMsPerWave: subscriberCpuMs.map((ms) => round1(ms / commands.length)),
      remainingSpreadMs: round1(Math.max(...shown) - Math.min(...shown)),
      worstErrorVsServerMs: round1(Math.max(...errors.map(Math.abs))),
    };
  } finally {
    for (const instructor of instructors) instructor.close();
    for (const subscriberProcess of processes) subscriberProcess.send({ type: "close" });
    await server.stop();
    database.remove();
  }
}

export default async function roundsBench() {
  const lines = [];
  for (const shape of SHAPES) lines.push(await fanOut(shape));
  return lines;
}
