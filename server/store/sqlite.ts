import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { roundStateSchema } from "../../shared/rounds/round";
import type { Role, SessionInfo } from "../../shared/session";
import { migrate } from "./migrate";
import { joinSnapshotParts, nextTurn, snapshotParts } from "./snapshot-parts";
import { classroomStore } from "./sqlite-classroom";
import { type DebateRow, toDebate } from "./sqlite-debate-row";
import { sqliteJudgingStore } from "./sqlite-judging";
import { sqliteRoundStore } from "./sqlite-rounds";
import type { EditCounts, NewDebate, PaperSnapshotRecord, Store, StoredDocument, TeamRecord } from "./types";

export interface TeamRow {
  id: string;
  debate_id: string;
  side_index: number;
  name: string;
  description: string;
  color: string;
  paper_locked: number;
  paper_lock_reason: string | null;
}

export interface SnapshotRow {
  id: string;
  team_id: string;
  name: string;
  state: Buffer;
  created_at: number;
}

export interface SessionRow {
  id: string;
  role: Role;
  display_name: string;
  debate_id: string | null;
  account_id: string | null;
  team_id: string | null;
  color: string;
}

/** Instructors' sessions have no row in `sessions`: they come from their account. */
export const INSTRUCTOR_COLOR = "#1f2937";

/** 256 KiB of 4 KiB pages: a few milliseconds of page moves and one commit. */
const PAGES_GIVEN_BACK_PER_STEP = 64;

/** What a document's row says of its snapshot (migration 015). */
export interface SnapshotColumns {
  /** The snapshot of a fold from before migration 015; NULL once a fold wrote parts. */
  snapshot: Buffer | null;
  snapshot_seq: number;
  /** The generation of `snapshot_parts` that is the snapshot; NULL before the first fold into parts. */
  snapshot_generation: number | null;
}

/** A document's snapshot (from its row, or its parts joined) and the log entries after it, as the rooms load them. */
export const storedDocument = (
  document: SnapshotColumns,
  parts: { bytes: Buffer }[],
  tail: { seq: number; payload: Buffer }[],
): StoredDocument => ({
  snapshot:
    document.snapshot_generation !== null
      ? joinSnapshotParts(parts.map((part) => part.bytes))
      : document.snapshot
        ? new Uint8Array(document.snapshot)
        : null,
  updates: tail.map((row) => new Uint8Array(row.payload)),
  seqs: tail.map((row) => row.seq),
  lastSeq: tail.at(-1)?.seq ?? document.snapshot_seq,
});

export const toSessionInfo = (row: SessionRow): SessionInfo => ({
  id: row.id,
  role: row.role,
  displayName: row.display_name,
  debateId: row.debate_id,
  accountId: row.account_id,
  teamId: row.team_id,
  color: row.color,
});

export const toTeam = (row: TeamRow): TeamRecord => ({
  id: row.id,
  debateId: row.debate_id,
  sideIndex: row.side_index,
  name: row.name,
  description: row.description,
  color: row.color,
  paperLocked: row.paper_locked === 1,
  paperLockReason: row.paper_lock_reason,
});

export const toSnapshot = (row: SnapshotRow): PaperSnapshotRecord => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  state: new Uint8Array(row.state),
  createdAt: row.created_at,
});

/**
 * Compaction deletes most of a paper's log; with incremental auto-vacuum the pages it frees are
 * given back to the file system after each compaction instead of staying in the file. The mode
 * only takes effect on a database without tables or after a VACUUM, so an older file is
 * vacuumed once, here, before anything else touches it.
 */
function reclaimFreedPages(db: Database.Database): void {
  const INCREMENTAL = 2;
  if (db.pragma("auto_vacuum", { simple: true }) === INCREMENTAL) return;
  db.pragma("auto_vacuum = INCREMENTAL");
  const hasTables = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
  if (hasTables) db.exec("VACUUM");
}

interface PendingAppend {
  docId: string;
  update: Uint8Array;
  sessionId: string | null;
  effect: EditCounts | undefined;
  resolve(seq: number): void;
  reject(error: unknown): void;
}

export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // First: switching a new file to WAL writes its header, after which its vacuum mode is fixed.
  reclaimFreedPages(db);
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk before we acknowledge it, so even power loss keeps acknowledged edits.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  migrate(db);

  const statements = {
    insertDebate: db.prepare(
      `INSERT INTO debates (id, title, motion, reading_title, reading_credit, reading_text, format_id,
         student_code, judge_code, audience_key, owner_id, team_mode, created_at)
       VALUES (@id, @title, @motion, @readingTitle, @readingCredit, @readingText, @formatId,
         @studentCode, @judgeCode, @audienceKey, @ownerId, @teamMode, @createdAt)`,
    ),
    insertTeam: db.prepare(
      `INSERT INTO teams (id, debate_id, side_index, name, description, color)
       VALUES (@id, @debateId, @sideIndex, @name, @description, @color)`,
    ),
    insertDocument: db.prepare("INSERT INTO documents (id, debate_id, scaffold) VALUES (?, ?, ?)"),
    getScaffold: db.prepare<[string], { scaffold: Buffer | null }>("SELECT scaffold FROM documents WHERE id = ?"),
    getDebate: db.prepare<[string], DebateRow>("SELECT * FROM debates WHERE id = ?"),
    debateByCode: db.prepare<[string, string], DebateRow>(
      "SELECT * FROM debates WHERE student_code = ? OR judge_code = ?",
    ),
    listDebates: db.prepare<[], DebateRow>("SELECT * FROM debates ORDER BY created_at"),
    listTeams: db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE debate_id = ? ORDER BY side_index"),
    getTeam: db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE id = ?"),
    setPaperLocked: db.prepare("UPDATE teams SET paper_locked = ?, paper_lock_reason = ? WHERE id = ?"),
    insertSnapshot: db.prepare(
      "INSERT INTO paper_snapshots (id, team_id, name, state, created_at) VALUES (@id, @teamId, @name, @state, @createdAt)",
    ),
    listSnapshots: db.prepare<[string], SnapshotRow>(
      "SELECT * FROM paper_snapshots WHERE team_id = ? ORDER BY created_at, id",
    ),
    getSnapshot: db.prepare<[string], SnapshotRow>("SELECT * FROM paper_snapshots WHERE id = ?"),
    insertSession: db.prepare(
      `INSERT INTO sessions (id, role, display_name, debate_id, team_id, color, created_at)
       VALUES (@id, @role, @displayName, @debateId, @teamId, @color, @createdAt)`,
    ),
    getSession: db.prepare<[string, string, string], SessionRow>(
      `SELECT id, role, display_name, debate_id, NULL AS account_id, team_id, color FROM sessions WHERE id = ?
       UNION ALL
       SELECT account_sessions.id, 'instructor', accounts.name, NULL, accounts.id, NULL, ?
       FROM account_sessions JOIN accounts ON accounts.id = account_sessions.account_id
       WHERE account_sessions.id = ?`,
    ),
    setSessionTeam: db.prepare("UPDATE sessions SET team_id = ? WHERE id = ?"),
    insertDocumentKey: db.prepare("INSERT INTO document_keys (doc_id) VALUES (?)"),
    documentKey: db.prepare<[string], { key: number }>("SELECT key FROM document_keys WHERE doc_id = ?"),
    lastSeq: db.prepare<[], { seq: number }>(
      `SELECT max(coalesce((SELECT max(seq) FROM document_log), 0),
                  coalesce((SELECT max(snapshot_seq) FROM documents), 0)) AS seq`,
    ),
    appendUpdate: db.prepare("INSERT INTO document_log (doc, seq, payload, author, written_at) VALUES (?, ?, ?, ?, ?)"),
    authorKey: db.prepare<[string], { key: number }>("SELECT key FROM log_authors WHERE session_id = ?"),
    insertAuthor: db.prepare("INSERT INTO log_authors (session_id) VALUES (?)"),
    addContribution: db.prepare(
      `INSERT INTO contributions (doc_id, session_id, minute_start, inserted, deleted) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (doc_id, session_id, minute_start)
       DO UPDATE SET inserted = inserted + excluded.inserted, deleted = deleted + excluded.deleted`,
    ),
    listContributions: db.prepare<
      [string],
      { session_id: string; minute_start: number; inserted: number; deleted: number }
    >("SELECT * FROM contributions WHERE doc_id = ? ORDER BY minute_start, session_id"),
    getDocument: db.prepare<[string], SnapshotColumns>(
      "SELECT snapshot, snapshot_seq, snapshot_generation FROM documents WHERE id = ?",
    ),
    snapshotParts: db.prepare<[number, number], { bytes: Buffer }>(
      "SELECT bytes FROM snapshot_parts WHERE doc = ? AND generation = ? ORDER BY part",
    ),
    nextSnapshotGeneration: db.prepare<[number], { generation: number }>(
      "SELECT coalesce(max(generation), 0) + 1 AS generation FROM snapshot_parts WHERE doc = ?",
    ),
    insertSnapshotPart: db.prepare("INSERT INTO snapshot_parts (doc, generation, part, bytes) VALUES (?, ?, ?, ?)"),
    countSnapshotParts: db.prepare<[number, number], { parts: number }>(
      "SELECT count(*) AS parts FROM snapshot_parts WHERE doc = ? AND generation = ?",
    ),
    // One part of a generation older than the one in use: a fold replaced, or never switched to.
    dropOneStaleSnapshotPart: db.prepare(
      `DELETE FROM snapshot_parts WHERE rowid = (
         SELECT snapshot_parts.rowid FROM snapshot_parts JOIN documents ON documents.id = ?
         WHERE snapshot_parts.doc = ? AND snapshot_parts.generation < documents.snapshot_generation LIMIT 1)`,
    ),
    quarantine: db.prepare(
      `INSERT INTO quarantined_updates (seq, doc_id, payload, session_id, created_at, quarantined_at, reason)
       SELECT seq, ?, payload, log_authors.session_id, ?, ?, ?
       FROM document_log LEFT JOIN log_authors ON log_authors.key = document_log.author
       WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?) AND seq = ?`,
    ),
    secondOfEntry: db.prepare<[number, number], { second: number }>(
      `SELECT written_at AS second FROM document_log
       WHERE doc = ? AND seq <= ? AND written_at IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    ),
    entryAfter: db.prepare<[number, number], { seq: number; written_at: number | null }>(
      "SELECT seq, written_at FROM document_log WHERE doc = ? AND seq > ? ORDER BY seq LIMIT 1",
    ),
    setSecondOfEntry: db.prepare("UPDATE document_log SET written_at = ? WHERE doc = ? AND seq = ?"),
    dropUpdate: db.prepare(
      "DELETE FROM document_log WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?) AND seq = ?",
    ),
    listQuarantined: db.prepare<
      [string],
      {
        seq: number;
        doc_id: string;
        session_id: string | null;
        created_at: number;
        quarantined_at: number;
        reason: string;
      }
    >(
      "SELECT seq, doc_id, session_id, created_at, quarantined_at, reason FROM quarantined_updates WHERE doc_id = ? ORDER BY seq",
    ),
    storedBytes: db.prepare<[string, string], { bytes: number | null }>(
      `SELECT coalesce(length(snapshot), 0)
         + (SELECT coalesce(sum(length(bytes)), 0) FROM snapshot_parts
            WHERE doc = (SELECT key FROM document_keys WHERE doc_id = documents.id)
              AND generation = documents.snapshot_generation)
         + (SELECT coalesce(sum(length(payload)), 0) FROM document_log
            WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?)) AS bytes
       FROM documents WHERE id = ?`,
    ),
    documentTail: db.prepare<[string], { seq: number; payload: Buffer }>(
      `SELECT seq, payload FROM document_log
       WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?) ORDER BY seq`,
    ),
    longLogs: db.prepare<[number], { doc_id: string }>(
      `SELECT document_keys.doc_id FROM document_log JOIN document_keys ON document_keys.key = document_log.doc
       GROUP BY document_log.doc HAVING count(*) >= ?`,
    ),
    setSnapshotGeneration: db.prepare(
      "UPDATE documents SET snapshot = NULL, snapshot_generation = ?, snapshot_seq = ? WHERE id = ? AND snapshot_seq < ?",
    ),
    dropCompacted: db.prepare(
      "DELETE FROM document_log WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ?) AND seq <= ?",
    ),
    getRound: db.prepare<[string], { state_json: string }>("SELECT state_json FROM rounds WHERE debate_id = ?"),
    getSetting: db.prepare<[string], { value: string }>("SELECT value FROM settings WHERE key = ?"),
    setSetting: db.prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
  };

  const createDebate = db.transaction((input: NewDebate) => {
    statements.insertDebate.run({ ...input.debate, createdAt: Date.now() });
    for (const team of input.teams) statements.insertTeam.run(team);
    for (const [docId, update] of input.initialDocuments) {
      statements.insertDocument.run(docId, input.debate.id, Buffer.from(update));
      const key = Number(statements.insertDocumentKey.run(docId).lastInsertRowid);
      statements.appendUpdate.run(key, nextSeq(), Buffer.from(update), null, writtenSecond(key, Date.now()));
    }
  });

  /** Each document's integer key, read once: keys are never reused (AUTOINCREMENT). */
  const documentKeys = new Map<string, number>();
  function knownDocumentKey(docId: string): number | undefined {
    let key = documentKeys.get(docId);
    if (key === undefined) {
      key = statements.documentKey.get(docId)?.key;
      if (key !== undefined) documentKeys.set(docId, key);
    }
    return key;
  }
  function documentKey(docId: string): number {
    const key = knownDocumentKey(docId);
    if (key === undefined) throw new Error(`No such document: ${docId}`);
    return key;
  }

  /**
   * Sequence numbers increase across all documents, as the old AUTOINCREMENT log's did, so a
   * sequence number names one update of the whole store (the quarantine of the Yjs room keys on
   * it). Compaction keeps the highest it folded in `snapshot_seq`, so the counter read at start
   * never goes back. Null until read, and again after a rollback, which gives its numbers back.
   */
  let lastSeq: number | null = null;
  const nextSeq = (): number => {
    lastSeq = (lastSeq ?? statements.lastSeq.get()?.seq ?? 0) + 1;
    return lastSeq;
  };

  /** Each author's integer key, made on first write; forgotten on a rollback, which may give keys back. */
  const authorKeys = new Map<string, number>();
  function authorKey(sessionId: string): number {
    let key = authorKeys.get(sessionId) ?? statements.authorKey.get(sessionId)?.key;
    key ??= Number(statements.insertAuthor.run(sessionId).lastInsertRowid);
    authorKeys.set(sessionId, key);
    return key;
  }

  /**
   * A log entry keeps the second it was written only when it differs from that of the paper's
   * entry before it (migration 014): most of a typing class's entries share their second with the
   * one before, and the time was 6 of a one-character edit's ~38 bytes. The paper's last second,
   * per document key; forgotten on a rollback and whenever entries of the paper are deleted, so
   * the next entry writes its second again.
   */
  const lastSecondWritten = new Map<number, number>();
  function writtenSecond(key: number, now: number): number | null {
    const second = Math.floor(now / 1000);
    if (lastSecondWritten.get(key) === second) return null;
    lastSecondWritten.set(key, second);
    return second;
  }

  /** When the paper's entry `seq` was written, to the second. */
  function secondOfEntry(key: number, seq: number): number | undefined {
    return statements.secondOfEntry.get(key, seq)?.second;
  }

  /** Before entries through `seq` are deleted: the entry after them keeps its time if it borrowed it. */
  function keepSecondOfEntryAfter(key: number, seq: number): void {
    lastSecondWritten.delete(key);
    const next = statements.entryAfter.get(key, seq);
    if (!next || next.written_at !== null) return;
    statements.setSecondOfEntry.run(secondOfEntry(key, seq) ?? null, key, next.seq);
  }

  function writeUpdate({ docId, update, sessionId, effect }: PendingAppend, now: number): number {
    const key = documentKey(docId);
    const seq = nextSeq();
    const author = sessionId ? authorKey(sessionId) : null;
    statements.appendUpdate.run(key, seq, Buffer.from(update), author, writtenSecond(key, now));
    if (sessionId && effect && (effect.inserted > 0 || effect.deleted > 0)) {
      const minuteStart = now - (now % 60_000);
      statements.addContribution.run(docId, sessionId, minuteStart, effect.inserted, effect.deleted);
    }
    return seq;
  }

  // Every write transaction here begins IMMEDIATE: in WAL mode a deferred one that reads first (the
  // author key) fails at once with SQLITE_BUSY, without waiting, if another connection to the file
  // committed in between (a maintenance script, a test's own handle); IMMEDIATE waits its turn.
  const appendBatch = db.transaction((batch: PendingAppend[], now: number): number[] =>
    batch.map((append) => writeUpdate(append, now)),
  );

  /**
   * Group commit: the updates of every paper that arrive in one event-loop turn are stored in one
   * transaction, so the number of fsyncs follows the turns of the event loop, not the number of
   * updates. Each caller's promise resolves only once its update is on disk (synchronous = FULL),
   * so a room still broadcasts and acknowledges nothing that is not stored.
   */
  let pendingAppends: PendingAppend[] = [];
  function flushAppends(): void {
    const batch = pendingAppends;
    pendingAppends = [];
    if (batch.length === 0) return;
    let seqs: number[];
    try {
      seqs = appendBatch.immediate(batch, Date.now());
    } catch {
      lastSeq = null;
      authorKeys.clear();
      lastSecondWritten.clear();
      // One update that cannot be stored (its paper deleted meanwhile) must not fail the others.
      for (const append of batch) {
        try {
          append.resolve(appendBatch.immediate([append], Date.now())[0]!);
        } catch (error) {
          lastSeq = null;
          authorKeys.clear();
          lastSecondWritten.clear();
          append.reject(error);
        }
      }
      return;
    }
    for (const [index, append] of batch.entries()) append.resolve(seqs[index]!);
  }

  const quarantine = db.transaction((docId: string, seq: number, reason: string) => {
    flushAppends();
    const key = knownDocumentKey(docId);
    if (key === undefined) return;
    const now = Date.now();
    // An entry another program wrote without a time is reported with the time it was set aside.
    const writtenAt = (secondOfEntry(key, seq) ?? Math.floor(now / 1000)) * 1000;
    statements.quarantine.run(docId, writtenAt, now, reason, docId, seq);
    keepSecondOfEntryAfter(key, seq);
    statements.dropUpdate.run(docId, seq);
  });

  /** Writes one part of a new generation of the paper's snapshot, choosing the generation with the first. */
  const stageSnapshotPart = db.transaction(
    (key: number, generation: number | null, part: number, bytes: Uint8Array): number => {
      const staged = generation ?? statements.nextSnapshotGeneration.get(key)!.generation;
      statements.insertSnapshotPart.run(key, staged, part, Buffer.from(bytes));
      return staged;
    },
  );

  /**
   * The fold's switch: the staged generation becomes the snapshot and the log entries it holds go.
   * A snapshot through an older sequence number than the stored one (another writer of the same
   * file compacted further meanwhile) would take back what that one folded in: it is ignored, as
   * is a generation that lost parts meanwhile (that writer's clean-up). Returns whether it switched.
   */
  const switchSnapshot = db.transaction(
    (docId: string, key: number, generation: number, parts: number, throughSeq: number): boolean => {
      if (statements.countSnapshotParts.get(key, generation)!.parts !== parts) return false;
      if (statements.setSnapshotGeneration.run(generation, throughSeq, docId, throughSeq).changes === 0) return false;
      keepSecondOfEntryAfter(key, throughSeq);
      statements.dropCompacted.run(docId, throughSeq);
      return true;
    },
  );

  /** A snapshot of one part: written and switched to in one transaction. */
  const foldInOnePart = db.transaction((docId: string, key: number, part: Uint8Array, throughSeq: number) => {
    switchSnapshot(docId, key, stageSnapshotPart(key, null, 0, part), 1, throughSeq);
  });

  /**
   * Folds in the store's own steps (decision 188): the parts of a snapshot larger than one are
   * each written in a transaction of their own, with a turn of the event loop between them; a
   * one-part snapshot is written and switched to in one transaction. Then the parts of older
   * generations go, one per transaction, and the pages they held go back to the file system. A
   * generation the switch refused stays until the next fold, whose generation is above it.
   */
  async function foldIntoSnapshot(docId: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    const key = documentKey(docId);
    const parts = snapshotParts(snapshot);
    if (parts.length === 1) {
      foldInOnePart.immediate(docId, key, parts[0]!, throughSeq);
    } else {
      let generation: number | null = null;
      for (const [index, part] of parts.entries()) {
        if (index > 0) await nextTurn();
        // Closed meanwhile: the parts written so far are never read, and the next fold deletes them.
        if (!db.open) return;
        generation = stageSnapshotPart.immediate(key, generation, index, part);
      }
      switchSnapshot.immediate(docId, key, generation!, parts.length, throughSeq);
    }
    while (db.open && statements.dropOneStaleSnapshotPart.run(docId, key).changes > 0) await nextTurn();
    await giveBackFreedPages();
  }

  /**
   * Giving freed pages back moves pages from the end of the file into the free ones, a commit
   * each time: a large paper's fold frees hundreds, so they go back in steps, with other work
   * between them (12–19 ms at once for a 1.1 MB paper).
   */
  async function giveBackFreedPages(): Promise<void> {
    const freed = db.pragma("freelist_count", { simple: true }) as number;
    for (let step = 0; step * PAGES_GIVEN_BACK_PER_STEP < freed; step++) {
      if (step > 0) await nextTurn();
      // Closed meanwhile: the next fold gives back what is left.
      if (!db.open) return;
      db.pragma(`incremental_vacuum(${PAGES_GIVEN_BACK_PER_STEP})`);
    }
  }

  /** The snapshot and the log after it, read in one transaction: another writer of the file may fold meanwhile. */
  const readDocument = db.transaction((docId: string): StoredDocument | undefined => {
    const document = statements.getDocument.get(docId);
    if (!document) return undefined;
    const key = knownDocumentKey(docId);
    const parts =
      document.snapshot_generation !== null && key !== undefined
        ? statements.snapshotParts.all(key, document.snapshot_generation)
        : [];
    return storedDocument(document, parts, statements.documentTail.all(docId));
  });

  const rounds = sqliteRoundStore(db);

  return {
    ...classroomStore(db),
    ...rounds.store,
    ...sqliteJudgingStore(db),
    async createDebate(input) {
      createDebate.immediate(input);
    },
    async getDebate(debateId) {
      const row = statements.getDebate.get(debateId);
      return row && toDebate(row);
    },
    async findDebateByJoinCode(code) {
      const row = statements.debateByCode.get(code, code);
      if (!row) return undefined;
      return { debate: toDebate(row), role: row.student_code === code ? "student" : "judge" };
    },
    async listDebates() {
      return statements.listDebates.all().map(toDebate);
    },
    async listTeams(debateId) {
      return statements.listTeams.all(debateId).map(toTeam);
    },
    async getTeam(teamId) {
      const row = statements.getTeam.get(teamId);
      return row && toTeam(row);
    },
    async setPaperLocked(teamId, locked, reason = null) {
      statements.setPaperLocked.run(locked ? 1 : 0, locked ? reason : null, teamId);
    },
    async addPaperSnapshot(snapshot) {
      statements.insertSnapshot.run({ ...snapshot, state: Buffer.from(snapshot.state) });
    },
    async listPaperSnapshots(teamId) {
      return statements.listSnapshots.all(teamId).map(toSnapshot);
    },
    async getPaperSnapshot(snapshotId) {
      const row = statements.getSnapshot.get(snapshotId);
      return row && toSnapshot(row);
    },
    async createSession(session) {
      statements.insertSession.run({ ...session, createdAt: Date.now() });
    },
    async getSession(sessionId) {
      const row = statements.getSession.get(sessionId, INSTRUCTOR_COLOR, sessionId);
      if (!row) return undefined;
      return toSessionInfo(row);
    },
    async setSessionTeam(sessionId, teamId) {
      statements.setSessionTeam.run(teamId, sessionId);
    },
    appendUpdate(docId, update, sessionId, effect) {
      return new Promise<number>((resolve, reject) => {
        pendingAppends.push({ docId, update, sessionId, effect, resolve, reject });
        if (pendingAppends.length === 1) setImmediate(flushAppends);
      });
    },
    async listContributions(docId) {
      return statements.listContributions.all(docId).map((row) => ({
        sessionId: row.session_id,
        minuteStart: row.minute_start,
        inserted: row.inserted,
        deleted: row.deleted,
      }));
    },
    async getPaperScaffold(docId) {
      const scaffold = statements.getScaffold.get(docId)?.scaffold;
      return scaffold ? new Uint8Array(scaffold) : null;
    },
    async loadDocument(docId): Promise<StoredDocument | undefined> {
      flushAppends();
      return readDocument(docId);
    },
    async compactDocument(docId, snapshot, throughSeq) {
      flushAppends();
      await foldIntoSnapshot(docId, snapshot, throughSeq);
    },
    async listDocumentsWithLongLogs(minUpdates) {
      flushAppends();
      return statements.longLogs.all(minUpdates).map((row) => row.doc_id);
    },
    async quarantineUpdate(docId, seq, reason) {
      quarantine.immediate(docId, seq, reason);
    },
    async listQuarantinedUpdates(docId) {
      return statements.listQuarantined.all(docId).map((row) => ({
        seq: row.seq,
        docId: row.doc_id,
        sessionId: row.session_id,
        createdAt: row.created_at,
        quarantinedAt: row.quarantined_at,
        reason: row.reason,
      }));
    },
    async storedDocumentBytes(docId) {
      return statements.storedBytes.get(docId, docId)?.bytes ?? 0;
    },
    async getRound(debateId) {
      const row = statements.getRound.get(debateId);
      return row && roundStateSchema.parse(JSON.parse(row.state_json));
    },
    async getSetting(key) {
      return statements.getSetting.get(key)?.value;
    },
    async setSetting(key, value) {
      statements.setSetting.run(key, value);
    },
    async close() {
      flushAppends();
      rounds.flush();
      db.close();
    },
  };
}
