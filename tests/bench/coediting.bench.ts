import { readFileSync } from "node:fs";
import * as Y from "yjs";
import { SessionCookies } from "../../server/auth/session-cookie";
import { createDebateFromPack } from "../../server/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import { paperDocumentId } from "../../shared/documents";
import { PAPER_FRAGMENT } from "../../shared/protocol";
import { caucusClient } from "../support/caucus-client";
import { removeDatabase, spawnServer } from "../support/spawn-server";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";

const DOCUMENTS = 30;
const CLIENTS_PER_DOCUMENT = 30;
const WRITERS_PER_DOCUMENT = 3;
const UPDATES_PER_SECOND = 2;
const WRITING_SECONDS = 20;
const WARMUP_SECONDS = 2;
const SECRET = "bench-secret-bench-secret-bench-secret-0123";
const CLOCK_TICKS_PER_SECOND = 100;

type Client = ReturnType<typeof caucusClient>;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

const round = (value: number) => Math.round(value * 10) / 10;

function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function processMemoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(field));
  return round(Number(line?.replace(/\D+/g, "")) / 1024);
}

/**
 * 30 papers × 30 connected students, 3 of them typing at 2 updates a second, with the durable log
 * on (every update fsynced before it is broadcast). Latency is measured from the writer's edit to
 * its arrival at one reader of the same paper, in the same process and clock.
 */
export default async function benchCoediting() {
  const database = temporaryDatabasePath();
  const store = openSqliteStore(database.path);
  const cookies = new SessionCookies(SECRET, false);
  const papers: { docId: string; cookies: string[] }[] = [];
  while (papers.length < DOCUMENTS) {
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    for (const team of await store.listTeams(debate.id)) {
      const teamCookies: string[] = [];
      for (let index = 0; index < CLIENTS_PER_DOCUMENT; index++) {
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
  await store.close();

  // Each y-websocket provider in Node adds a process "exit" listener; 900 of them are expected here.
  process.setMaxListeners(DOCUMENTS * CLIENTS_PER_DOCUMENT + 10);
  const server = await spawnServer({
    databasePath: database.path,
    env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error" },
  });
  const pid = server.child.pid!;
  const wsUrl = server.url.replace("http", "ws");
  const clients: Client[][] = papers.map((paper) =>
    paper.cookies.map((cookie) => caucusClient(wsUrl, paper.docId, cookie)),
  );
  await Promise.all(clients.flat().map((client) => client.synced()));

  const latencies: number[] = [];
  // The first seconds (JIT warm-up, first frames on 900 sockets) are not the steady state we report.
  let measureFrom = Number.POSITIVE_INFINITY;
  const ackLatencies: number[] = [];
  for (const paperClients of clients) {
    const observer = paperClients[paperClients.length - 1]!;
    // The send time rides in the paragraph's text: the paper schema refuses any other shared type.
    observer.doc.getXmlFragment(PAPER_FRAGMENT).observe((event) => {
      const now = performance.now();
      for (const item of event.changes.added) {
        const sentAt = Number(/@([\d.]+)</.exec(String(item.content.getContent()[0]))?.[1]);
        if (sentAt >= measureFrom) latencies.push(now - sentAt);
      }
    });
  }

  const cpuBefore = processCpuSeconds(pid);
  const clientCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  measureFrom = startedAt + WARMUP_SECONDS * 1000;
  let updatesSent = 0;
  const writers = clients.flatMap((paperClients) => paperClients.slice(0, WRITERS_PER_DOCUMENT));
  await Promise.all(
    writers.map(async (writer, writerIndex) => {
      // Each writer keeps its own phase in the interval: real students do not type in lockstep.
      const offset = (writerIndex * 1000) / UPDATES_PER_SECOND / writers.length;
      await new Promise((resolve) => setTimeout(resolve, offset));
      const total = WRITING_SECONDS * UPDATES_PER_SECOND;
      for (let update = 0; update < total; update++) {
        const sentAt = performance.now();
        writer.doc.transact(() => {
          const fragment = writer.doc.getXmlFragment(PAPER_FRAGMENT);
          const paragraph = new Y.XmlElement("paragraph");
          paragraph.insert(0, [new Y.XmlText(`A sentence from writer ${writerIndex}, edit ${update} @${sentAt}`)]);
          fragment.insert(fragment.length, [paragraph]);
        });
        updatesSent++;
        writer.saved().then(() => {
          if (sentAt >= measureFrom) ackLatencies.push(performance.now() - sentAt);
        });
        const next = startedAt + offset + ((update + 1) * 1000) / UPDATES_PER_SECOND;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpuSeconds = processCpuSeconds(pid) - cpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const rssMb = processMemoryMb(pid, "VmRSS");
  const peakRssMb = processMemoryMb(pid, "VmHWM");
  const elapsedSeconds = (performance.now() - startedAt) / 1000;

  for (const client of clients.flat()) client.destroy();
  await server.stop();
  removeDatabase(database.path);

  latencies.sort((a, b) => a - b);
  ackLatencies.sort((a, b) => a - b);
  return {
    documents: DOCUMENTS,
    clientsPerDocument: CLIENTS_PER_DOCUMENT,
    writersPerDocument: WRITERS_PER_DOCUMENT,
    updatesPerSecondPerWriter: UPDATES_PER_SECOND,
    updatesSent,
    warmupSecondsExcluded: WARMUP_SECONDS,
    propagationLatencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? Number.NaN),
      samples: latencies.length,
    },
    saveAcknowledgementMs: { p50: round(percentile(ackLatencies, 0.5)), p99: round(percentile(ackLatencies, 0.99)) },
    serverCpuSeconds: round(cpuSeconds),
    serverCpuPercentOfOneCore: round((cpuSeconds / elapsedSeconds) * 100),
    // The 900 clients share one process: when it is busy, latency includes its own queueing.
    clientProcessCpuPercentOfOneCore: round(((clientCpu.user + clientCpu.system) / 1e6 / elapsedSeconds) * 100),
    serverRssMb: rssMb,
    serverPeakRssMb: peakRssMb,
  };
}
