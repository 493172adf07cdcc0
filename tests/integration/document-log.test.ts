import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createDebateFromPack } from "../../server/classroom/debates";
import { COMPACT_ON_START_MIN_UPDATES } from "../../server/papers/compact-logs";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { SNAPSHOT_PART_BYTES } from "../../server/store/snapshot-parts";
import { openSqliteStore } from "../../server/store/sqlite";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { startServer, temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";

const migrations = new URL("../../server/store/migrations/", import.meta.url);

/** Updates typing `text` one character at a time into a new paragraph of `base`. */
const INCREMENTAL_AUTO_VACUUM = 2;

/** One update per piece: per character when `text` is a string. */
function typing(base: Uint8Array[], text: Iterable<string>): Uint8Array[] {
  const doc = new Y.Doc();
  for (const update of base) Y.applyUpdate(doc, update);
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement("paragraph");
  const line = new Y.XmlText();
  paragraph.insert(0, [line]);
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
  for (const piece of text) line.insert(line.length, piece);
  return updates;
}

/** Every stored snapshot part of the file, of any paper and generation. */
function snapshotPartRows(path: string): { part: number; length: number }[] {
  const file = new Database(path, { readonly: true });
  const rows = file
    .prepare<[], { part: number; length: number }>(
      "SELECT part, length(bytes) AS length FROM snapshot_parts ORDER BY doc, generation, part",
    )
    .all();
  file.close();
  return rows;
}

/** One update that deletes every block the updates made. */
function deletingEverything(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
  fragment.delete(0, fragment.length);
  return Y.encodeStateAsUpdate(doc, before);
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getXmlFragment(PAPER_FRAGMENT).toString();
}

/** A database as a release that shipped the migrations before `migration` left it, with two papers. */
function databaseBefore(path: string, migration: string): Database.Database {
  const old = new Database(path);
  const files = readdirSync(migrations)
    .filter((name) => name.endsWith(".sql") && name < migration)
    .sort();
  for (const file of files) old.exec(readFileSync(new URL(file, migrations), "utf8"));
  old.exec("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
  for (const file of files) old.prepare("INSERT INTO schema_migrations VALUES (?, 0)").run(file);
  old.exec(`INSERT INTO debates (id, title, motion, reading_title, reading_credit, reading_text, format_id,
    student_code, judge_code, audience_key, created_at) VALUES ('d', 't', 'm', 'r', 'c', 'x', 'classroom', 's', 'j', 'a', 0)`);
  old.exec("INSERT INTO documents (id, debate_id) VALUES ('paper:one', 'd'), ('paper:two', 'd')");
  return old;
}

describe("the document log", () => {
  it("migration 011 carries a database's existing log over to the compact rows, in order", async () => {
    const database = temporaryDatabasePath();
    const old = databaseBefore(database.path, "011");
    const one = typing([], "first paper");
    const two = typing([], "second");
    const insert = old.prepare(
      "INSERT INTO document_updates (doc_id, payload, session_id, created_at) VALUES (?, ?, 'session', 0)",
    );
    // Interleaved, as two rooms write them.
    for (let index = 0; index < Math.max(one.length, two.length); index++) {
      if (one[index]) insert.run("paper:one", Buffer.from(one[index]!));
      if (two[index]) insert.run("paper:two", Buffer.from(two[index]!));
    }
    old.close();

    const store = openSqliteStore(database.path);
    const loadedOne = (await store.loadDocument("paper:one"))!;
    const loadedTwo = (await store.loadDocument("paper:two"))!;
    expect(loadedOne.updates.map((update) => Buffer.from(update))).toEqual(one.map((update) => Buffer.from(update)));
    expect(textOf(loadedTwo.updates)).toBe(textOf(two));
    const more = typing(loadedOne.updates, "!");
    const seq = await store.appendUpdate("paper:one", more[0]!, null, undefined);
    expect(seq).toBeGreaterThan(loadedOne.lastSeq);
    expect((await store.loadDocument("paper:one"))!.updates).toHaveLength(one.length + 1);
    await store.close();
    database.remove();
  });

  it("migration 014 keeps each entry's time to the second, written only when the second changes", async () => {
    const database = temporaryDatabasePath();
    const old = databaseBefore(database.path, "014");
    old.exec("INSERT INTO document_keys (doc_id) VALUES ('paper:one'), ('paper:two')");
    old.exec("INSERT INTO log_authors (session_id) VALUES ('writer')");
    const one = typing([], "abc");
    const two = typing([], "x");
    const times = [1_700_000_000_100, 1_700_000_000_900, 1_700_000_003_000];
    const insert = old.prepare(
      "INSERT INTO document_log (doc, seq, payload, author, written_at) VALUES (?, ?, ?, 1, ?)",
    );
    // Interleaved with another paper's entry of the same second, which starts its own paper's times.
    for (const [index, update] of one.slice(0, times.length).entries()) {
      insert.run(1, index * 2 + 1, Buffer.from(update), times[index]);
      if (index === 0) insert.run(2, 2, Buffer.from(two[0]!), times[1]);
    }
    old.close();

    const store = openSqliteStore(database.path);
    expect((await store.loadDocument("paper:one"))!.updates).toHaveLength(times.length);
    const reader = new Database(database.path, { readonly: true });
    const stored = reader
      .prepare<[], { doc: number; seq: number; written_at: number | null }>(
        "SELECT doc, seq, written_at FROM document_log ORDER BY doc, seq",
      )
      .all();
    reader.close();
    expect(stored).toEqual([
      { doc: 1, seq: 1, written_at: 1_700_000_000 },
      { doc: 1, seq: 3, written_at: null },
      { doc: 1, seq: 5, written_at: 1_700_000_003 },
      { doc: 2, seq: 2, written_at: 1_700_000_000 },
    ]);
    for (const seq of [1, 3, 5]) await store.quarantineUpdate("paper:one", seq, "read back its time");
    const quarantined = await store.listQuarantinedUpdates("paper:one");
    expect(quarantined.map((entry) => [entry.seq, entry.sessionId, entry.createdAt])).toEqual([
      [1, "writer", 1_700_000_000_000],
      [3, "writer", 1_700_000_000_000],
      [5, "writer", 1_700_000_003_000],
    ]);
    await store.close();
    database.remove();
  });

  it("stores the updates of many papers arriving together, each readable elsewhere when its append resolves", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const docIds: string[] = [];
    for (let index = 0; index < 5; index++) {
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      for (const team of await store.listTeams(debate.id)) docIds.push(paperDocumentId(team.id));
    }
    const reader = new Database(database.path, { readonly: true });
    const stored = reader.prepare<[string, number], { n: number }>(
      `SELECT count(*) AS n FROM document_log
       WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?) AND seq = ?`,
    );
    const updates = typing([], "ab");
    const appended = await Promise.all(
      docIds.flatMap((docId) =>
        updates.map((update) =>
          store
            .appendUpdate(docId, update, null, undefined)
            .then((seq) => ({ docId, seq, visible: stored.get(docId, seq)!.n })),
        ),
      ),
    );
    // A sequence number names one update of the whole store, as before the migration.
    expect(new Set(appended.map((entry) => entry.seq)).size).toBe(appended.length);
    for (const docId of docIds) {
      const mine = appended.filter((entry) => entry.docId === docId);
      expect(mine.every((entry) => entry.visible === 1)).toBe(true);
      // Each paper's own updates keep their order.
      expect(mine.map((entry) => entry.seq)).toEqual([...mine.map((entry) => entry.seq)].sort((a, b) => a - b));
      expect(new Set(mine.map((entry) => entry.seq)).size).toBe(updates.length);
    }
    reader.close();
    await store.close();
    database.remove();
  });

  it("gives the pages a compaction frees back: the file shrinks", async () => {
    const database = temporaryDatabasePath();
    let store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const docId = paperDocumentId((await store.listTeams(debate.id))[0]!.id);
    const base = (await store.loadDocument(docId))!.updates;
    await store.close();
    const withoutLog = statSync(database.path).size;
    // From the file's first run on, not only after a restart has vacuumed it once.
    const file = new Database(database.path, { readonly: true });
    expect(file.pragma("auto_vacuum", { simple: true })).toBe(INCREMENTAL_AUTO_VACUUM);
    file.close();

    store = openSqliteStore(database.path);
    // Some 100 pages of text, deleted at the end so the snapshot is small: more than one step
    // of giving pages back (64 pages) frees.
    const typed = typing(
      base,
      Array.from({ length: 2000 }, () => "x".repeat(200)),
    );
    const updates = [...typed, deletingEverything([...base, ...typed])];
    const appended = await Promise.all(updates.map((update) => store.appendUpdate(docId, update, null, undefined)));
    await store.close();
    const logBytes = statSync(database.path).size - withoutLog;
    expect(logBytes).toBeGreaterThan(300_000);

    store = openSqliteStore(database.path);
    // As a room folds it: from the document, where deleted text is gone (a merge of the updates keeps it).
    const paper = new Y.Doc();
    for (const update of [...base, ...updates]) Y.applyUpdate(paper, update);
    await store.compactDocument(docId, Y.encodeStateAsUpdate(paper), Math.max(...appended));
    await store.close();
    // Without giving pages back the file would keep every byte of the log.
    expect(statSync(database.path).size).toBeLessThan(withoutLog + logBytes / 2);

    store = openSqliteStore(database.path);
    const loaded = (await store.loadDocument(docId))!;
    expect(loaded.updates).toEqual([]);
    expect(textOf([loaded.snapshot!])).toBe(textOf([...base, ...updates]));
    await store.close();
    database.remove();
  });

  it("writes a snapshot larger than a part one part per transaction: another paper's edit is stored before the fold ends", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const [folded, other] = (await store.listTeams(debate.id)).map((team) => paperDocumentId(team.id));
    const { lastSeq, updates: base } = (await store.loadDocument(folded!))!;
    const large = new Uint8Array(randomBytes(Math.floor(3.5 * SNAPSHOT_PART_BYTES)));
    const settled: string[] = [];
    const fold = store.compactDocument(folded!, large, lastSeq).then(() => settled.push("fold"));
    await store.appendUpdate(other!, typing(base, "x")[0]!, null, undefined);
    settled.push("other paper's edit");
    await fold;
    expect(settled).toEqual(["other paper's edit", "fold"]);
    expect(snapshotPartRows(database.path)).toEqual([
      { part: 0, length: SNAPSHOT_PART_BYTES },
      { part: 1, length: SNAPSHOT_PART_BYTES },
      { part: 2, length: SNAPSHOT_PART_BYTES },
      { part: 3, length: SNAPSHOT_PART_BYTES / 2 },
    ]);
    expect(Buffer.compare((await store.loadDocument(folded!))!.snapshot!, large)).toBe(0);
    await store.close();
    database.remove();
  });

  it("a fold a crash left half written is never read, and the next fold deletes it", async () => {
    const database = temporaryDatabasePath();
    let store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const [team] = await store.listTeams(debate.id);
    const docId = paperDocumentId(team!.id);
    const { lastSeq, updates: base } = (await store.loadDocument(docId))!;
    const snapshot = Y.mergeUpdates(base);
    await store.compactDocument(docId, snapshot, lastSeq);
    await store.close();

    // What a crash between two parts of the next fold leaves: parts of a generation nothing points to.
    const file = new Database(database.path);
    file
      .prepare(
        `INSERT INTO snapshot_parts (doc, generation, part, bytes)
         SELECT key, 99, 0, randomblob(1000) FROM document_keys WHERE doc_id = ?`,
      )
      .run(docId);
    file.close();

    store = openSqliteStore(database.path);
    expect((await store.loadDocument(docId))!.snapshot).toEqual(snapshot);
    const typed = typing(base, "after the crash");
    const appended = await Promise.all(typed.map((update) => store.appendUpdate(docId, update, null, undefined)));
    const next = Y.mergeUpdates([snapshot, ...typed]);
    await store.compactDocument(docId, next, Math.max(...appended));
    expect(snapshotPartRows(database.path)).toEqual([{ part: 0, length: next.byteLength }]);
    expect(textOf([(await store.loadDocument(docId))!.snapshot!])).toContain("after the crash");
    await store.close();
    database.remove();
  });

  it("a long log left by a crash is folded into the snapshot before the server takes connections", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const [long, short] = (await store.listTeams(debate.id)).map((team) => paperDocumentId(team.id));
    const base = (await store.loadDocument(long!))!.updates;
    const updates = typing(base, "y".repeat(COMPACT_ON_START_MIN_UPDATES + 10));
    await Promise.all(updates.map((update) => store.appendUpdate(long!, update, null, undefined)));
    await store.close();

    const running = await startServer(database.path);
    const stored = (await running.server.store.loadDocument(long!))!;
    expect(stored.updates).toEqual([]);
    expect(textOf([stored.snapshot!])).toBe(textOf([...base, ...updates]));
    // A short log is left for the room to fold when its last connection leaves.
    expect((await running.server.store.loadDocument(short!))!.updates).toHaveLength(1);
    await running.server.close();
    database.remove();
  });
});
