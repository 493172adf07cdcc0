import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { SessionCookies } from "../../server/auth/session-cookie";
import { createDebateFromPack } from "../../server/classroom/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { removeDatabase, spawnServer } from "../support/spawn-server";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";
import { processCpuSeconds, round1, round2, storedPaper } from "./support";

const EDITS = 50_000;
/** The shipped COMPACT_AFTER_LOG_BYTES: a live room folds its log into the snapshot past this size. */
const SHIPPED_COMPACTION_BYTES = 262_144;
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

/** A student typing one character at a time into one paragraph: 50,000 small updates. */
function typedUpdates(base: Y.Doc): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
  const sentence = "Realpolitik asks what a state can hold, not what it would like to hold. ";
  while (updates.length < EDITS) text.insert(text.length, sentence[text.length % sentence.length]!);
  return updates.slice(0, EDITS);
}

/** The file as a closed database: WAL checkpointed into it. */
const fileBytes = (path: string) => statSync(path).size;

/** Start, then connect to synced for one student on the fresh server, and the server CPU the load cost. */
async function loadTime(databasePath: string, docId: string, cookie: string) {
  const spawnedAt = performance.now();
  const server = await spawnServer({
    databasePath,
    env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error" },
    runtime: "build",
  });
  // Start to listening includes folding long logs into snapshots (server/papers/compact-logs.ts).
  const startToListeningMs = round1(performance.now() - spawnedAt);
  try {
    const cpuBefore = processCpuSeconds(server.child.pid!);
    const startedAt = performance.now();
    const client = caucusClient(server.url.replace("http", "ws"), docId, cookie);
    await client.synced();
    const connectToSyncedMs = round1(performance.now() - startedAt);
    const serverCpuMs = round1((processCpuSeconds(server.child.pid!) - cpuBefore) * 1000);
    const characters = client.text().length;
    client.destroy();
    return { startToListeningMs, connectToSyncedMs, serverCpuMs, characters };
  } finally {
    await server.stop();
  }
}

/**
 * One paper of 50,000 one-character edits, stored through the store as the room stores them.
 * Reports the load time after a restart in three compaction states, the file bytes per byte of
 * update held, and whether the file shrinks after compaction.
 */
export default async function storageBench() {
  const database = temporaryDatabasePath();
  const directory = join(database.path, "..");
  let store = openSqliteStore(database.path);
  const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
  const team = (await store.listTeams(debate.id))[0]!;
  const docId = paperDocumentId(team.id);
  const sessionId = newId();
  await store.createSession({
    id: sessionId,
    role: "student",
    accountId: null,
    displayName: "Typist",
    debateId: debate.id,
    teamId: team.id,
    color: "#047857",
  });
  const cookie = new SessionCookies(SECRET, false).serialize(sessionId).split(";")[0]!;
  const updates = typedUpdates((await storedPaper(store, docId)).doc);
  const updateBytes = updates.reduce((total, update) => total + update.byteLength, 0);
  await store.close();
  const emptyBytes = fileBytes(database.path);

  // The same edits stored three ways: never compacted, compacted as a live room would, fully compacted.
  const states = { uncompacted: join(directory, "uncompacted.db"), shippedThreshold: join(directory, "shipped.db") };
  copyFileSync(database.path, states.uncompacted);
  copyFileSync(database.path, states.shippedThreshold);

  const appendStartedAt = performance.now();
  store = openSqliteStore(states.uncompacted);
  for (const update of updates) await store.appendUpdate(docId, update, sessionId, { inserted: 1, deleted: 0 });
  const appendMicros = ((performance.now() - appendStartedAt) * 1000) / EDITS;
  await store.close();
  const uncompactedBytes = fileBytes(states.uncompacted);

  store = openSqliteStore(states.shippedThreshold);
  const live = (await storedPaper(store, docId)).doc;
  let logBytes = 0;
  for (const update of updates) {
    const seq = await store.appendUpdate(docId, update, sessionId, { inserted: 1, deleted: 0 });
    Y.applyUpdate(live, update);
    logBytes += update.byteLength;
    if (logBytes > SHIPPED_COMPACTION_BYTES) {
      await store.compactDocument(docId, Y.encodeStateAsUpdate(live), seq);
      logBytes = 0;
    }
  }
  await store.close();

  copyFileSync(states.uncompacted, database.path);
  store = openSqliteStore(database.path);
  const full = (await storedPaper(store, docId)).doc;
  const lastSeq = (await store.loadDocument(docId))!.lastSeq;
  await store.compactDocument(docId, Y.encodeStateAsUpdate(full), lastSeq);
  await store.close();
  const compactedBytes = fileBytes(database.path);

  const figures = {
    edits: EDITS,
    updateBytes,
    appendMicrosPerUpdate: round1(appendMicros),
    storedBytesPerUpdateByte: round2((uncompactedBytes - emptyBytes) / updateBytes),
    fileBytes: { empty: emptyBytes, uncompacted: uncompactedBytes, afterFullCompaction: compactedBytes },
    fileShrinksAfterCompaction: compactedBytes < uncompactedBytes,
    loadAfterRestart: {
      uncompacted: await loadTime(states.uncompacted, docId, cookie),
      shippedThreshold: await loadTime(states.shippedThreshold, docId, cookie),
      fullyCompacted: await loadTime(database.path, docId, cookie),
    },
  };
  removeDatabase(database.path);
  return figures;
}
