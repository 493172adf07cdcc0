/**
 * The long fuzz run of issue 9: `npm run fuzz -- --cases N --seed S`. A real server process; each
 * case attacks one team's paper with one family of hostile input while two honest students type in
 * the other team's paper (tests/support/canary.ts). Prints a table per family and the run's verdict:
 * crashes, hangs, the canary's p99 against its idle baseline, the server's RSS before and after,
 * and whether every paper still loads. docs/reliability.md records a run.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/store/sqlite";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { encodeYjsFrame } from "../../shared/wire/yjs-codec";
import { type CanaryReport, startCanary } from "../support/canary";
import { caucusClient } from "../support/caucus-client";
import { FRAME_FAMILIES, frameCase, seededRandom } from "../support/fuzz-cases";
import { serverLoopMaxMs, serverMetric } from "../support/server-metrics";
import { type SocketOpener, startSocketOpener } from "../support/socket-opener";
import { removeDatabase, spawnServer } from "../support/spawn-server";
import { studentCookies } from "../support/student-cookie";

const { values } = parseArgs({
  options: { cases: { type: "string", default: "300" }, seed: { type: "string", default: "1" } },
});
const CASES = Number(values.cases);
const SEED = Number(values.seed);
const SECRET = "fuzz-run-secret-fuzz-run-secret-fuzz-run-0";
const FAMILIES = [...FRAME_FAMILIES, "protocol"] as const;
type Family = (typeof FAMILIES)[number];
/** A case that takes longer than this is a hang. */
const CASE_TIMEOUT_MS = 15_000;

const random = seededRandom(SEED);
// The inspector (on a port of its own) lets the run force a full collection at the end, to tell
// memory the server still holds from memory V8 has simply not collected yet.
const server = await spawnServer({
  env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error", NODE_OPTIONS: "--inspect=127.0.0.1:0" },
});
const wsUrl = server.url.replace("http", "ws");
const store = openSqliteStore(server.databasePath);
const [debate] = await store.listDebates();
const [attacked, quiet] = await store.listTeams(debate!.id);
const attackedDoc = paperDocumentId(attacked!.id);

const cookieFor = studentCookies(store, SECRET);
const student = (teamId: string) => cookieFor({ debateId: debate!.id, teamId, displayName: "Fuzz" });

/** What the server's JavaScript holds: apart from RSS, which keeps pages V8 has not given back yet. */
const serverHeapUsedMiB = async () =>
  (await serverMetric(server.url, "caucus_process_nodejs_heap_size_used_bytes")) / 1024 / 1024;

/** Forces a full collection in the server through its inspector; resolves with its heap then, in MiB. */
async function collectServerGarbage(): Promise<number> {
  const address = /Debugger listening on (ws:\/\/\S+)/.exec(server.output())?.[1];
  if (!address) throw new Error("The server's inspector did not start");
  const inspector = new WebSocket(address);
  await new Promise((resolve, reject) => inspector.once("open", resolve).once("error", reject));
  let nextId = 0;
  type Answer = { id?: number; result?: { result?: { value?: string } } };
  const call = (method: string, params: object = {}) =>
    new Promise<Answer>((resolve) => {
      const id = ++nextId;
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as Answer;
        if (message.id !== id) return;
        inspector.off("message", onMessage);
        resolve(message);
      };
      inspector.on("message", onMessage);
      inspector.send(JSON.stringify({ id, method, params }));
    });
  await call("HeapProfiler.collectGarbage");
  const answer = await call("Runtime.evaluate", { expression: "String(process.memoryUsage().heapUsed)" });
  inspector.close();
  return Number(answer.result?.result?.value) / 1024 / 1024;
}

function rssMiB(): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How each socket was closed, kept from the moment it opens (a refusal can come before anyone listens). */
const closeCodes = new WeakMap<WebSocket, number>();

/** Opens a socket to the attacked paper; resolves once it is open or refused. */
function open(cookie: string): Promise<WebSocket> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${wsUrl}/yjs/${attackedDoc}`, { headers: { cookie } });
    socket.once("close", (code) => closeCodes.set(socket, code));
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", () => resolve(socket));
    socket.once("error", () => resolve(socket));
  });
}

function ending(socket: WebSocket, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve(String(closeCodes.get(socket) ?? "refused"));
    const timer = setTimeout(() => {
      socket.terminate();
      resolve("open");
    }, waitMs);
    socket.once("close", (code) => {
      clearTimeout(timer);
      resolve(String(code));
    });
  });
}

async function frameAttack(family: Exclude<Family, "protocol">, cookie: string): Promise<string> {
  const socket = await open(cookie);
  const doc = new Y.Doc();
  if (socket.readyState !== WebSocket.OPEN) return "refused";
  for (const frame of frameCase(family, random, doc)) {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  }
  return ending(socket, 400);
}

/** The four attacks of the protocol family, by number. */
const PROTOCOL_ATTACKS = 4;
const MANY_SOCKETS = 2;
const HALF_OPEN = 3;

/** `opener` is the 100-socket attack's own process, started before the case's window (decision 187). */
async function protocolAttack(variant: number, cookies: string[], opener?: SocketOpener): Promise<string> {
  switch (variant) {
    case 0: {
      const socket = await open(cookies[0]!);
      const doc = new Y.Doc();
      for (let index = 0; index < 300 && socket.readyState === WebSocket.OPEN; index++) {
        const before = Y.encodeStateVector(doc);
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(`burst ${index}`)]);
        doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
        socket.send(encodeYjsFrame.update(Y.encodeStateAsUpdate(doc, before)));
      }
      return `burst:${await ending(socket, 500)}`;
    }
    case 1: {
      const socket = await open(cookies[0]!);
      const frame = encodeYjsFrame.queryAwareness();
      const started = performance.now();
      let sent = 0;
      while (socket.readyState === WebSocket.OPEN && performance.now() - started < 1000) {
        const due = Math.floor((performance.now() - started) * 10);
        for (; sent < due && socket.readyState === WebSocket.OPEN; sent++) socket.send(frame);
        await sleep(1);
      }
      return `flood:${await ending(socket, 500)}`;
    }
    case MANY_SOCKETS: {
      const { outcomes } = await opener!.burst();
      return `sockets:${outcomes.filter((outcome) => outcome === "served").length}/100 served`;
    }
    default: {
      const port = Number(new URL(server.url).port);
      const raws = Array.from({ length: 10 }, () => {
        const raw = connect(port, "127.0.0.1");
        raw.on("error", () => undefined);
        raw.write(`GET /yjs/${attackedDoc} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
        return raw;
      });
      await sleep(500);
      for (const raw of raws) raw.destroy();
      return "half-open";
    }
  }
}

const canary = await startCanary({
  wsUrl,
  docId: paperDocumentId(quiet!.id),
  writerCookie: await student(quiet!.id),
  readerCookie: await student(quiet!.id),
});
await sleep(1000);
await canary.reset();
await sleep(3000);
const idle = await canary.measure();
const rssBefore = rssMiB();
const heapBefore = await serverHeapUsedMiB();

interface Row {
  cases: number;
  outcomes: Map<string, number>;
  worstP99: number;
  hangs: number;
}
const rows = new Map<Family, Row>(
  FAMILIES.map((family) => [family, { cases: 0, outcomes: new Map(), worstP99: 0, hangs: 0 }]),
);
const p99s: number[] = [];
const serverLoopMaxes: number[] = [];
/** Cases that put the canary past the bound, to find again by their number (the seed replays them). */
const overBound: string[] = [];
/** Cases in which the server itself held its loop more than 50 ms, whatever the canary saw. */
const longHolds: string[] = [];
let crashed = false;
for (let index = 0; index < CASES && !crashed; index++) {
  const family = FAMILIES[index % FAMILIES.length]!;
  const row = rows.get(family)!;
  const variant = family === "protocol" ? random.int(PROTOCOL_ATTACKS) : null;
  // Sessions are made before the window opens: this process writing the database while the server
  // commits would make the server wait for the file's lock, which no client can make it do.
  const sessionCount = variant === MANY_SOCKETS ? 100 : variant === HALF_OPEN ? 0 : 1;
  const cookies: string[] = [];
  for (let made = 0; made < sessionCount; made++) cookies.push(await student(attacked!.id));
  const opener = variant === MANY_SOCKETS ? await startSocketOpener(`${wsUrl}/yjs/${attackedDoc}`, cookies) : undefined;
  await serverLoopMaxMs(server.url);
  await canary.reset();
  const attack = family === "protocol" ? protocolAttack(variant!, cookies, opener) : frameAttack(family, cookies[0]!);
  const outcome = await Promise.race([attack, sleep(CASE_TIMEOUT_MS).then(() => "hang")]);
  await sleep(200);
  const report: CanaryReport = await canary.measure();
  const loopMax = await serverLoopMaxMs(server.url).catch(() => Number.NaN);
  serverLoopMaxes.push(loopMax);
  if (loopMax > 50)
    longHolds.push(
      `case ${index} (${family}, ${outcome}): ${loopMax.toFixed(1)} ms, canary p99 ${report.p99.toFixed(1)} ms`,
    );
  row.cases++;
  if (outcome === "hang") row.hangs++;
  const key = outcome.replace(/:\d+\/100 served$/, ":sockets");
  row.outcomes.set(key, (row.outcomes.get(key) ?? 0) + 1);
  row.worstP99 = Math.max(row.worstP99, report.p99);
  p99s.push(report.p99);
  if (report.p99 > idle.p99 + 50)
    overBound.push(
      `case ${index} (${family}, ${outcome}): p99 ${report.p99.toFixed(1)} ms, server's event loop held at most ${loopMax.toFixed(1)} ms`,
    );
  crashed = server.child.exitCode !== null || server.child.signalCode !== null;
}

// After the storm: rooms unload (they linger a second), then memory is measured and every paper opened.
// V8 gives memory back to the system lazily, so the lowest RSS of the next 30 s is printed too.
await sleep(5000);
const rssAfter = crashed ? 0 : rssMiB();
let rssLowest = rssAfter;
for (let second = 0; second < 25 && !crashed; second++) {
  await sleep(1000);
  rssLowest = Math.min(rssLowest, rssMiB());
}
const heapAfter = crashed ? 0 : await serverHeapUsedMiB();
const heapCollected = crashed ? 0 : await collectServerGarbage();
await sleep(2000);
const rssCollected = crashed ? 0 : rssMiB();
const openPapersAfter = crashed ? 0 : await serverMetric(server.url, "caucus_open_papers");
const loadable: string[] = [];
for (const team of await store.listTeams(debate!.id)) {
  const client = caucusClient(wsUrl, paperDocumentId(team.id), await student(team.id));
  const synced = await Promise.race([client.synced().then(() => true), sleep(5000).then(() => false)]);
  loadable.push(`${team.name}: ${synced ? "loads" : "DOES NOT LOAD"}`);
  client.destroy();
}
await canary.stop();

const sorted = [...p99s].sort((a, b) => a - b);
console.log(`\nFuzz run: ${CASES} cases, seed ${SEED}`);
console.log("| family | cases | outcomes (close code or result: count) | worst canary p99 (ms) | hangs |");
console.log("| --- | --- | --- | --- | --- |");
for (const [family, row] of rows) {
  const outcomes = [...row.outcomes].map(([key, count]) => `${key}: ${count}`).join(", ");
  console.log(`| ${family} | ${row.cases} | ${outcomes} | ${row.worstP99.toFixed(1)} | ${row.hangs} |`);
}
console.log(`\ncrashes: ${crashed ? 1 : 0}`);
console.log(`hangs: ${[...rows.values()].reduce((total, row) => total + row.hangs, 0)}`);
console.log(
  `canary idle p99 ${idle.p99.toFixed(1)} ms; per-case p99: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, ` +
    `worst ${sorted.at(-1)?.toFixed(1)} ms; cases more than 50 ms above idle: ${p99s.filter((p99) => p99 > idle.p99 + 50).length}`,
);
const attackedPaper = await store.loadDocument(attackedDoc);
const attackedBytes = [attackedPaper?.snapshot, ...(attackedPaper?.updates ?? [])].reduce(
  (total, update) => total + (update?.byteLength ?? 0),
  0,
);
console.log(`the attacked paper holds ${(attackedBytes / 1024).toFixed(0)} KB at the end`);
for (const line of overBound) console.log(`  over the bound: ${line}`);
const loopSorted = serverLoopMaxes.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
console.log(
  `server's own event loop, longest hold per case (10 ms resolution): median ${loopSorted[Math.floor(loopSorted.length / 2)]?.toFixed(1)} ms, ` +
    `worst ${loopSorted.at(-1)?.toFixed(1)} ms; cases over 50 ms: ${loopSorted.filter((value) => value > 50).length}`,
);
for (const line of longHolds) console.log(`  held over 50 ms: ${line}`);
console.log(
  `server RSS ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB 5 s after (${(((rssAfter - rssBefore) / rssBefore) * 100).toFixed(1)} %), ` +
    `lowest within 30 s ${rssLowest.toFixed(0)} MiB (${(((rssLowest - rssBefore) / rssBefore) * 100).toFixed(1)} %)`,
);
console.log(
  `after a full collection (forced through the inspector): heap used ${heapCollected.toFixed(0)} MiB, ` +
    `RSS ${rssCollected.toFixed(0)} MiB (${(((rssCollected - rssBefore) / rssBefore) * 100).toFixed(1)} %)`,
);
console.log(
  `server heap used ${heapBefore.toFixed(0)} MiB before, ${heapAfter.toFixed(0)} MiB after; ` +
    `papers loaded after: ${openPapersAfter} (the canary's)`,
);
console.log(`papers: ${loadable.join("; ")}`);
await store.close();
await server.stop("SIGTERM");
removeDatabase(server.databasePath);
process.exit(crashed ? 1 : 0);
