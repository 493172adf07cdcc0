import * as Y from "yjs";
import { createDebateFromPack } from "../../server/classroom/debates";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { startCanary } from "../support/canary";
import { caucusClient } from "../support/caucus-client";
import { serverLoopMaxMs } from "../support/server-metrics";
import { removeDatabase, spawnServer } from "../support/spawn-server";
import { studentCookies } from "../support/student-cookie";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";
import { round1, sleep, storedPaper } from "./support";

const SECRET = "bench-secret-bench-secret-bench-secret-0123";
/** Students who each add this many one-line paragraphs at the paper's start, all at once. */
const WRITERS = 25;
const LINES_PER_WRITER = 300;
/** Then three pastes of this many paragraphs at the end. */
const PASTES = 3;
const PASTED_PARAGRAPHS = 3000;
const RUNS = 3;
/**
 * Then the opener pastes this many empty paragraphs at the start: the most one change may hold
 * under MAX_UPDATE_ITEMS (4,000), the change the long fuzz found holding the server longest.
 */
const LARGE_PASTE_PARAGRAPHS = 3900;
/** A room unloads this long after its last connection leaves (LINGER_MS), then folds its log; the fold is over well within the rest. */
const LEAVE_TO_FOLDED_MS = 3000;

/**
 * The densest paper a class could make, in small paragraphs, as the long fuzz grows it: 16,500
 * paragraphs, ~1 MB compacted. Stored as the paper's snapshot, as compaction leaves it.
 */
async function storeDensePaper(store: Store, docId: string): Promise<number> {
  const { doc: paper, lastSeq } = await storedPaper(store, docId);
  for (let writer = 0; writer < WRITERS; writer++) {
    const student = new Y.Doc();
    Y.applyUpdate(student, Y.encodeStateAsUpdate(paper));
    const before = Y.encodeStateVector(student);
    for (let line = 0; line < LINES_PER_WRITER; line++) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(`student ${writer}, line ${line}`)]);
      student.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
    }
    Y.applyUpdate(paper, Y.encodeStateAsUpdate(student, before));
  }
  for (let paste = 0; paste < PASTES; paste++) {
    const student = new Y.Doc();
    Y.applyUpdate(student, Y.encodeStateAsUpdate(paper));
    const before = Y.encodeStateVector(student);
    const fragment = student.getXmlFragment(PAPER_FRAGMENT);
    fragment.insert(
      fragment.length,
      Array.from({ length: PASTED_PARAGRAPHS }, (_, line) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(`pasted paragraph ${line} of a long source`)]);
        return paragraph;
      }),
    );
    Y.applyUpdate(paper, Y.encodeStateAsUpdate(student, before));
  }
  const snapshot = Y.encodeStateAsUpdate(paper);
  await store.compactDocument(docId, snapshot, lastSeq);
  return snapshot.byteLength;
}

/**
 * Opening a large paper after a restart, built at once on the main thread (the path below
 * LOAD_IN_PARTS_AFTER_BYTES) and in parts off it (decision 179): how long the opener waits, and
 * how long two students typing in another paper wait meanwhile. Then the largest paste one change
 * may hold, into that paper: how long until it is saved, and how long the other paper waits; a
 * teammate opening the changed paper, and the fold when both leave, each of which encodes all of it.
 */
export default async function largeLoadBench() {
  const database = temporaryDatabasePath();
  const store = openSqliteStore(database.path);
  const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
  const [large, other] = await store.listTeams(debate.id);
  const cookieFor = studentCookies(store, SECRET);
  const student = (teamId: string) => cookieFor({ debateId: debate.id, teamId });
  const largeDocId = paperDocumentId(large!.id);
  const snapshotBytes = await storeDensePaper(store, largeDocId);
  const opener = await student(large!.id);
  const canaryCookies = { writerCookie: await student(other!.id), readerCookie: await student(other!.id) };
  await store.close();

  const modes = { whole: String(2 ** 30), inParts: undefined } as const;
  const empty = () => ({
    connectToSyncedMs: [] as number[],
    otherPaperP99Ms: [] as number[],
    otherPaperMaxMs: [] as number[],
    serverLoopMaxMs: [] as number[],
    pasteSavedMs: [] as number[],
    pasteOtherPaperP99Ms: [] as number[],
    pasteOtherPaperMaxMs: [] as number[],
    pasteServerLoopMaxMs: [] as number[],
    newcomerSyncedMs: [] as number[],
    newcomerOtherPaperMaxMs: [] as number[],
    newcomerServerLoopMaxMs: [] as number[],
    foldOtherPaperMaxMs: [] as number[],
    foldServerLoopMaxMs: [] as number[],
  });
  const results = { whole: empty(), inParts: empty() };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ["whole", "inParts"] as const) {
      const threshold = modes[mode];
      const server = await spawnServer({
        databasePath: database.path,
        env: {
          SESSION_SECRET: SECRET,
          LOG_LEVEL: "error",
          ...(threshold ? { LOAD_IN_PARTS_AFTER_BYTES: threshold } : {}),
        },
        runtime: "build",
      });
      const wsUrl = server.url.replace("http", "ws");
      const canary = await startCanary({ wsUrl, docId: paperDocumentId(other!.id), ...canaryCookies });
      /**
       * Runs `work` while two students type in the other paper: what it gave, how long it took,
       * their waits, the server's longest hold. A client is made inside `work`, so that the
       * server's hold while it connects falls inside the window.
       */
      const measured = async <T>(work: () => Promise<T>) => {
        await canary.reset();
        await serverLoopMaxMs(server.url);
        const startedAt = performance.now();
        const result = await work();
        const workMs = performance.now() - startedAt;
        await sleep(300);
        const report = await canary.measure();
        return { result, workMs, report, serverLoopMax: await serverLoopMaxMs(server.url) };
      };
      const opened = async () => {
        const client = caucusClient(wsUrl, largeDocId, opener);
        await client.synced();
        return client;
      };
      await sleep(1500);
      const load = await measured(opened);
      const client = load.result;
      await sleep(500);
      const paste = await measured(async () => {
        client.doc.getXmlFragment(PAPER_FRAGMENT).insert(
          0,
          Array.from({ length: LARGE_PASTE_PARAGRAPHS }, () => new Y.XmlElement("paragraph")),
        );
        await client.saved();
      });
      // A teammate opens the paper the paste changed: the server encodes all of it for them.
      await sleep(500);
      const join = await measured(opened);
      const newcomer = join.result;
      // Both leave: the room folds the paste into the paper's snapshot and writes it.
      await sleep(500);
      const fold = await measured(async () => {
        client.destroy();
        newcomer.destroy();
        await sleep(LEAVE_TO_FOLDED_MS);
      });
      await canary.stop();
      await server.stop();
      const figures = results[mode];
      figures.connectToSyncedMs.push(round1(load.workMs));
      figures.otherPaperP99Ms.push(round1(load.report.p99));
      figures.otherPaperMaxMs.push(round1(load.report.max));
      figures.serverLoopMaxMs.push(round1(load.serverLoopMax));
      figures.pasteSavedMs.push(round1(paste.workMs));
      figures.pasteOtherPaperP99Ms.push(round1(paste.report.p99));
      figures.pasteOtherPaperMaxMs.push(round1(paste.report.max));
      figures.pasteServerLoopMaxMs.push(round1(paste.serverLoopMax));
      figures.newcomerSyncedMs.push(round1(join.workMs));
      figures.newcomerOtherPaperMaxMs.push(round1(join.report.max));
      figures.newcomerServerLoopMaxMs.push(round1(join.serverLoopMax));
      figures.foldOtherPaperMaxMs.push(round1(fold.report.max));
      figures.foldServerLoopMaxMs.push(round1(fold.serverLoopMax));
    }
  }
  removeDatabase(database.path);
  return {
    snapshotKb: round1(snapshotBytes / 1024),
    paragraphs: WRITERS * LINES_PER_WRITER + PASTES * PASTED_PARAGRAPHS,
    ...results,
  };
}
