import * as Y from "yjs";
import { SessionCookies } from "../../server/auth/session-cookie";
import { createDebateFromPack } from "../../server/classroom/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openPostgresStore } from "../../server/store/postgres";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { createTestDatabase } from "../support/postgres";
import { redisPrefix, TEST_REDIS_URL } from "../support/redis";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";
import {
  NODES,
  ON_POSTGRES,
  percentile,
  processCpuSeconds,
  processMemoryMb,
  QUICK,
  round1,
  round2,
  sleep,
  spawnReferenceServer,
} from "./support";

const LEVELS = QUICK
  ? [
      { papers: 10, clientsPerPaper: 30 },
      { papers: 30, clientsPerPaper: 30 },
    ]
  : [
      { papers: 10, clientsPerPaper: 30 },
      { papers: 30, clientsPerPaper: 30 },
      { papers: 60, clientsPerPaper: 30 },
    ];
const WRITERS_PER_PAPER = 3;
const UPDATES_PER_SECOND = 2;
const WARMUP_SECONDS = QUICK ? 3 : 5;
const MEASURED_SECONDS = QUICK ? 8 : 20;
/** Runs of each server per level, alternating which goes first; ratios are of the medians. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1);
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

type Level = (typeof LEVELS)[number];

interface Target {
  name: "caucus" | "reference";
  /** One per server process; a paper's clients take them in turn. */
  wsUrls: string[];
  pids: number[];
  papers: { docId: string; cookies: string[] }[];
  /** Whether the server answers Caucus' save markers (the reference does not). */
  acknowledges: boolean;
  stop(): Promise<void>;
}

/** The level's papers, each a team of a debate, and a student session per client. */
async function seedPapers(store: Store, level: Level): Promise<Target["papers"]> {
  const cookies = new SessionCookies(SECRET, false);
  const papers: Target["papers"] = [];
  while (papers.length < level.papers) {
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    for (const team of await store.listTeams(debate.id)) {
      if (papers.length === level.papers) break;
      const teamCookies: string[] = [];
      for (let index = 0; index < level.clientsPerPaper; index++) {
        const id = newId();
        await store.createSession({
          id,
          role: "student",
          accountId: null,
          displayName: `Student ${index}`,
          debateId: debate.id,
          teamId: team.id,
          color: "#047857",
        });
        teamCookies.push(cookies.serialize(id).split(";")[0]!);
      }
      papers.push({ docId: paperDocumentId(team.id), cookies: teamCookies });
    }
  }
  return papers;
}

// Every bench client comes from 127.0.0.1, as a class behind one school gateway would (with the limit raised).
const SERVER_ENV = { SESSION_SECRET: SECRET, LOG_LEVEL: "error", MAX_CONNECTIONS_PER_ADDRESS: "10000" };

/** Caucus as `npm start` runs it, with sessions, access rules and the durable log on. */
async function startCaucus(level: Level): Promise<Target> {
  const database = temporaryDatabasePath();
  const store = openSqliteStore(database.path);
  const papers = await seedPapers(store, level);
  await store.close();
  const server = await spawnServer({
    databasePath: database.path,
    env: SERVER_ENV,
    runtime: "build",
  });
  return {
    name: "caucus",
    wsUrls: [server.url.replace("http", "ws")],
    pids: [server.child.pid!],
    papers,
    acknowledges: true,
    async stop() {
      await server.stop();
      removeDatabase(database.path);
    },
  };
}

/**
 * Caucus as several nodes are deployed (docs/deploy.md): NODES compiled server processes on one
 * PostgreSQL database and one Redis, with a database and key prefix of this run's own.
 */
async function startCaucusNodes(level: Level): Promise<Target> {
  const database = await createTestDatabase();
  const redis = redisPrefix();
  const store = await openPostgresStore(database.url);
  const papers = await seedPapers(store, level);
  await store.close();
  const nodes: SpawnedServer[] = [];
  for (let node = 0; node < NODES; node++) {
    nodes.push(
      await spawnServer({
        env: { ...SERVER_ENV, DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redis.prefix },
        runtime: "build",
      }),
    );
  }
  return {
    name: "caucus",
    wsUrls: nodes.map((node) => node.url.replace("http", "ws")),
    pids: nodes.map((node) => node.child.pid!),
    papers,
    acknowledges: true,
    async stop() {
      for (const node of nodes) {
        await node.stop();
        removeDatabase(node.databasePath);
      }
      await redis.clean();
      await database.drop();
    },
  };
}

/** y-websocket 2's bundled server: in memory, no authentication, nothing stored. */
async function startReference(level: Level): Promise<Target> {
  const server = await spawnReferenceServer();
  return {
    name: "reference",
    wsUrls: [server.url.replace("http", "ws")],
    pids: [server.child.pid!],
    papers: Array.from({ length: level.papers }, () => ({
      docId: `bench-${newId()}`,
      cookies: Array.from({ length: level.clientsPerPaper }, () => ""),
    })),
    acknowledges: false,
    stop: () => server.stop(),
  };
}

/**
 * The same load against either server: every client of every paper connected and showing
 * presence, 3 writers per paper each adding a paragraph (and moving its caret) twice a second
 * in its own phase. Latency is from a writer's edit to its arrival at one reader of the paper,
 * in this process and clock; CPU is the server processes' over the measured window. On several
 * nodes a paper's clients alternate between them, so the writers (clients 0–2) and the reader (the
 * last) of a paper are not all on one node and most edits reach the reader through Redis.
 */
async function runLoad(target: Target) {
  const clients = target.papers.map((paper) =>
    paper.cookies.map((cookie, index) => {
      const client = caucusClient(target.wsUrls[index % target.wsUrls.length]!, paper.docId, cookie);
      client.provider.awareness.setLocalStateField("user", { name: `Student ${index}`, color: "#047857" });
      return client;
    }),
  );
  await Promise.all(clients.flat().map((client) => client.synced()));

  let measuring = false;
  let delivered = 0;
  let updatesSent = 0;
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  for (const paperClients of clients) {
    for (const client of paperClients) {
      client.doc.on("update", (_update: Uint8Array, origin: unknown) => {
        if (measuring && origin === client.provider) delivered++;
      });
    }
    const observer = paperClients[paperClients.length - 1]!;
    // The send time rides in the paragraph's text: the paper schema refuses any other shared type.
    observer.doc.getXmlFragment(PAPER_FRAGMENT).observe((event) => {
      if (!measuring) return;
      const now = performance.now();
      for (const item of event.changes.added) {
        const sentAt = Number(/@([\d.]+)</.exec(String(item.content.getContent()[0]))?.[1]);
        if (Number.isFinite(sentAt)) latencies.push(now - sentAt);
      }
    });
  }

  const startedAt = performance.now();
  const serverCpuSeconds = () => target.pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  let cpuAtStart = 0;
  let clientCpuAtStart = process.cpuUsage();
  const warmup = sleep(WARMUP_SECONDS * 1000).then(() => {
    measuring = true;
    cpuAtStart = serverCpuSeconds();
    clientCpuAtStart = process.cpuUsage();
  });
  const writers = clients.flatMap((paperClients) => paperClients.slice(0, WRITERS_PER_PAPER));
  const total = (WARMUP_SECONDS + MEASURED_SECONDS) * UPDATES_PER_SECOND;
  await Promise.all(
    writers.map(async (writer, writerIndex) => {
      // Each writer keeps its own phase in the interval: real students do not type in lockstep.
      const offset = (writerIndex * 1000) / UPDATES_PER_SECOND / writers.length;
      await sleep(offset);
      for (let update = 0; update < total; update++) {
        const sentAt = performance.now();
        const fragment = writer.doc.getXmlFragment(PAPER_FRAGMENT);
        writer.doc.transact(() => {
          const paragraph = new Y.XmlElement("paragraph");
          paragraph.insert(0, [new Y.XmlText(`A sentence from writer ${writerIndex}, edit ${update} @${sentAt}`)]);
          fragment.insert(fragment.length, [paragraph]);
        });
        writer.provider.awareness.setLocalStateField("cursor", { paragraph: fragment.length });
        if (measuring) updatesSent++;
        if (target.acknowledges) {
          const counted = measuring;
          writer.saved().then(() => {
            if (counted) ackLatencies.push(performance.now() - sentAt);
          });
        }
        const next = startedAt + offset + ((update + 1) * 1000) / UPDATES_PER_SECOND;
        await sleep(Math.max(0, next - performance.now()));
      }
    }),
  );
  await warmup;
  await sleep(1000);
  measuring = false;
  const cpuSeconds = serverCpuSeconds() - cpuAtStart;
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  const windowSeconds = MEASURED_SECONDS + 1;
  const nodeMemory = target.pids.map((pid) => ({
    rssMb: processMemoryMb(pid, "VmRSS"),
    peakRssMb: processMemoryMb(pid, "VmHWM"),
  }));
  const converged = clients.every((paperClients) =>
    paperClients.every((client) => client.text() === paperClients[0]!.text()),
  );
  for (const client of clients.flat()) client.destroy();

  latencies.sort((a, b) => a - b);
  ackLatencies.sort((a, b) => a - b);
  return {
    p50Ms: round1(percentile(latencies, 0.5)),
    p99Ms: round1(percentile(latencies, 0.99)),
    maxMs: round1(latencies.at(-1) ?? Number.NaN),
    samples: latencies.length,
    updatesSent,
    deliveredUpdates: delivered,
    cpuMicrosPerDeliveredUpdate: round1((cpuSeconds * 1e6) / delivered),
    serverCpuPercentOfOneCore: round1((cpuSeconds / windowSeconds) * 100),
    // On several nodes: the largest node's, and each node's below.
    rssMb: Math.max(...nodeMemory.map((node) => node.rssMb)),
    peakRssMb: Math.max(...nodeMemory.map((node) => node.peakRssMb)),
    ...(nodeMemory.length > 1 && { perNode: nodeMemory }),
    converged,
    ...(target.acknowledges && {
      saveAckMs: { p50: round1(percentile(ackLatencies, 0.5)), p99: round1(percentile(ackLatencies, 0.99)) },
    }),
    // The clients share this one process: when it is busy, latency includes its own queueing.
    clientProcessCpuPercentOfOneCore: round1(((clientCpu.user + clientCpu.system) / 1e6 / windowSeconds) * 100),
  };
}

type Figures = Awaited<ReturnType<typeof runLoad>>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summary(runs: Figures[]) {
  if (runs.length === 1) return runs[0]!;
  return {
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    cpuMicrosPerDeliveredUpdate: median(runs.map((run) => run.cpuMicrosPerDeliveredUpdate)),
    peakRssMb: median(runs.map((run) => run.peakRssMb)),
    converged: runs.every((run) => run.converged),
    runs,
  };
}

const levelFields = (level: Level) => ({
  level: `${level.papers}x${level.clientsPerPaper}`,
  nodes: NODES,
  store: ON_POSTGRES ? "postgres" : "sqlite",
  writersPerPaper: WRITERS_PER_PAPER,
  updatesPerSecondPerWriter: UPDATES_PER_SECOND,
  warmupSeconds: WARMUP_SECONDS,
  measuredSeconds: MEASURED_SECONDS,
});

/**
 * On PostgreSQL and Redis (several nodes, or one with `--postgres`), one line per level with Caucus' figures alone: the reference server has no
 * several-node form to compare with; the one-node run of the same level is the comparison.
 */
async function benchNodes() {
  const lines = [];
  for (const level of LEVELS) {
    const runs: Figures[] = [];
    for (let run = 0; run < PAIRS; run++) {
      const target = await startCaucusNodes(level);
      try {
        runs.push(await runLoad(target));
      } finally {
        await target.stop();
      }
      await sleep(1000);
    }
    lines.push({ ...levelFields(level), caucus: summary(runs) });
  }
  return lines;
}

/**
 * One line per level: Caucus, the reference y-websocket server, and Caucus ÷ reference; with
 * `--nodes 2` or `--postgres`, Caucus alone.
 */
export default async function benchCoediting() {
  // Each y-websocket provider in Node adds a process "exit" listener; thousands are expected here.
  process.setMaxListeners(0);
  if (ON_POSTGRES) return benchNodes();
  const lines = [];
  for (const [levelIndex, level] of LEVELS.entries()) {
    const runs = { caucus: [] as Figures[], reference: [] as Figures[] };
    for (let pair = 0; pair < PAIRS; pair++) {
      const order = (levelIndex + pair) % 2 === 0 ? [startCaucus, startReference] : [startReference, startCaucus];
      for (const start of order) {
        const target = await start(level);
        try {
          runs[target.name].push(await runLoad(target));
        } finally {
          await target.stop();
        }
        await sleep(1000);
      }
    }
    const caucus = summary(runs.caucus);
    const reference = summary(runs.reference);
    lines.push({
      ...levelFields(level),
      caucus,
      reference,
      ratio: {
        p50: round2(caucus.p50Ms / reference.p50Ms),
        p99: round2(caucus.p99Ms / reference.p99Ms),
        cpuPerDeliveredUpdate: round2(caucus.cpuMicrosPerDeliveredUpdate / reference.cpuMicrosPerDeliveredUpdate),
        peakRss: round2(caucus.peakRssMb / reference.peakRssMb),
      },
    });
  }
  return lines;
}
