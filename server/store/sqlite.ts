import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { roundStateSchema } from "../../shared/round";
import type { Role } from "../../shared/session";
import { migrate } from "./migrate";
import { classroomStore } from "./sqlite-classroom";
import { sqliteJudgingStore } from "./sqlite-judging";
import { sqliteRoundStore } from "./sqlite-rounds";
import type {
  DebateRecord,
  EditCounts,
  NewDebate,
  PaperSnapshotRecord,
  RevealPolicy,
  Store,
  StoredDocument,
  TeamMode,
  TeamRecord,
} from "./types";

export interface DebateRow {
  id: string;
  title: string;
  motion: string;
  reading_title: string;
  reading_credit: string;
  reading_text: string;
  format_id: string;
  student_code: string;
  judge_code: string;
  audience_key: string;
  owner_id: string | null;
  team_mode: TeamMode;
  code_names: number;
  archived_at: number | null;
  reveal_policy: RevealPolicy;
  created_at: number;
}

interface TeamRow {
  id: string;
  debate_id: string;
  side_index: number;
  name: string;
  description: string;
  color: string;
  paper_locked: number;
  paper_lock_reason: string | null;
}

interface SnapshotRow {
  id: string;
  team_id: string;
  name: string;
  state: Buffer;
  created_at: number;
}

interface SessionRow {
  id: string;
  role: Role;
  display_name: string;
  debate_id: string | null;
  account_id: string | null;
  team_id: string | null;
  color: string;
}

/** Instructors' sessions have no row in `sessions`: they come from their account. */
const INSTRUCTOR_COLOR = "#1f2937";

export const toDebate = (row: DebateRow): DebateRecord => ({
  id: row.id,
  title: row.title,
  motion: row.motion,
  readingTitle: row.reading_title,
  readingCredit: row.reading_credit,
  readingText: row.reading_text,
  formatId: row.format_id,
  studentCode: row.student_code,
  judgeCode: row.judge_code,
  audienceKey: row.audience_key,
  ownerId: row.owner_id,
  teamMode: row.team_mode,
  codeNames: row.code_names === 1,
  archivedAt: row.archived_at,
  revealPolicy: row.reveal_policy,
  createdAt: row.created_at,
});

const toTeam = (row: TeamRow): TeamRecord => ({
  id: row.id,
  debateId: row.debate_id,
  sideIndex: row.side_index,
  name: row.name,
  description: row.description,
  color: row.color,
  paperLocked: row.paper_locked === 1,
  paperLockReason: row.paper_lock_reason,
});

const toSnapshot = (row: SnapshotRow): PaperSnapshotRecord => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  state: new Uint8Array(row.state),
  createdAt: row.created_at,
});

export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
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
    insertDocument: db.prepare("INSERT INTO documents (id, debate_id) VALUES (?, ?)"),
    getDebate: db.prepare<[string], DebateRow>("SELECT * FROM debates WHERE id = ?"),
    debateByCode: db.prepare<[string, string], DebateRow>(
      "SELECT * FROM debates WHERE student_code = ? OR judge_code = ?",
    ),
    listDebates: db.prepare<[], DebateRow>("SELECT * FROM debates ORDER BY created_at"),
    listTeams: db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE debate_id = ? ORDER BY side_index"),
    getTeam: db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE id = ?"),
    setPaperLocked: db.prepare("UPDATE teams SET paper_locked = ?, paper_lock_reason = ? WHERE id = ?"),
    setRevealPolicy: db.prepare("UPDATE debates SET reveal_policy = ? WHERE id = ?"),
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
    appendUpdate: db.prepare(
      "INSERT INTO document_updates (doc_id, payload, session_id, created_at) VALUES (?, ?, ?, ?)",
    ),
    addContribution: db.prepare(
      `INSERT INTO contributions (doc_id, session_id, minute_start, inserted, deleted) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (doc_id, session_id, minute_start)
       DO UPDATE SET inserted = inserted + excluded.inserted, deleted = deleted + excluded.deleted`,
    ),
    listContributions: db.prepare<
      [string],
      { session_id: string; minute_start: number; inserted: number; deleted: number }
    >("SELECT * FROM contributions WHERE doc_id = ? ORDER BY minute_start, session_id"),
    getDocument: db.prepare<[string], { snapshot: Buffer | null; snapshot_seq: number }>(
      "SELECT snapshot, snapshot_seq FROM documents WHERE id = ?",
    ),
    quarantine: db.prepare(
      `INSERT INTO quarantined_updates (seq, doc_id, payload, session_id, created_at, quarantined_at, reason)
       SELECT seq, doc_id, payload, session_id, created_at, ?, ? FROM document_updates WHERE doc_id = ? AND seq = ?`,
    ),
    dropUpdate: db.prepare("DELETE FROM document_updates WHERE doc_id = ? AND seq = ?"),
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
         + (SELECT coalesce(sum(length(payload)), 0) FROM document_updates WHERE doc_id = ?) AS bytes
       FROM documents WHERE id = ?`,
    ),
    documentTail: db.prepare<[string], { seq: number; payload: Buffer }>(
      "SELECT seq, payload FROM document_updates WHERE doc_id = ? ORDER BY seq",
    ),
    setSnapshot: db.prepare("UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE id = ?"),
    dropCompacted: db.prepare("DELETE FROM document_updates WHERE doc_id = ? AND seq <= ?"),
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
      statements.insertDocument.run(docId, input.debate.id);
      statements.appendUpdate.run(docId, Buffer.from(update), null, Date.now());
    }
  });

  const append = db.transaction(
    (docId: string, update: Uint8Array, sessionId: string | null, effect: EditCounts | undefined): number => {
      const now = Date.now();
      const result = statements.appendUpdate.run(docId, Buffer.from(update), sessionId, now);
      if (sessionId && effect && (effect.inserted > 0 || effect.deleted > 0)) {
        const minuteStart = now - (now % 60_000);
        statements.addContribution.run(docId, sessionId, minuteStart, effect.inserted, effect.deleted);
      }
      return Number(result.lastInsertRowid);
    },
  );

  const quarantine = db.transaction((docId: string, seq: number, reason: string) => {
    statements.quarantine.run(Date.now(), reason, docId, seq);
    statements.dropUpdate.run(docId, seq);
  });

  const compact = db.transaction((docId: string, snapshot: Uint8Array, throughSeq: number) => {
    statements.setSnapshot.run(Buffer.from(snapshot), throughSeq, docId);
    statements.dropCompacted.run(docId, throughSeq);
  });

  return {
    ...classroomStore(db),
    ...sqliteRoundStore(db),
    ...sqliteJudgingStore(db),
    async createDebate(input) {
      createDebate(input);
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
    async setRevealPolicy(debateId, policy) {
      statements.setRevealPolicy.run(policy, debateId);
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
      return {
        id: row.id,
        role: row.role,
        displayName: row.display_name,
        debateId: row.debate_id,
        accountId: row.account_id,
        teamId: row.team_id,
        color: row.color,
      };
    },
    async setSessionTeam(sessionId, teamId) {
      statements.setSessionTeam.run(teamId, sessionId);
    },
    async appendUpdate(docId, update, sessionId, effect) {
      return append(docId, update, sessionId, effect);
    },
    async listContributions(docId) {
      return statements.listContributions.all(docId).map((row) => ({
        sessionId: row.session_id,
        minuteStart: row.minute_start,
        inserted: row.inserted,
        deleted: row.deleted,
      }));
    },
    async loadDocument(docId): Promise<StoredDocument | undefined> {
      const document = statements.getDocument.get(docId);
      if (!document) return undefined;
      const tail = statements.documentTail.all(docId);
      return {
        snapshot: document.snapshot ? new Uint8Array(document.snapshot) : null,
        updates: tail.map((row) => new Uint8Array(row.payload)),
        seqs: tail.map((row) => row.seq),
        lastSeq: tail.at(-1)?.seq ?? document.snapshot_seq,
      };
    },
    async compactDocument(docId, snapshot, throughSeq) {
      compact(docId, snapshot, throughSeq);
    },
    async quarantineUpdate(docId, seq, reason) {
      quarantine(docId, seq, reason);
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
      db.close();
    },
  };
}
