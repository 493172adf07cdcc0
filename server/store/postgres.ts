import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { roundStateSchema } from "../../shared/rounds/round";
import type { Logger } from "../logger";
import { postgresClassroomStore, postgresJudgingStore } from "./postgres-classroom";
import { migratePostgres } from "./postgres-migrate";
import { postgresRoundStore } from "./postgres-rounds";
import { snapshotParts } from "./snapshot-parts";
import {
  INSTRUCTOR_COLOR,
  type SessionRow,
  type SnapshotColumns,
  type SnapshotRow,
  storedDocument,
  type TeamRow,
  toSessionInfo,
  toSnapshot,
  toTeam,
} from "./sqlite";
import { type DebateRow, toDebate } from "./sqlite-debate-row";
import type { EditCounts, Store, StoredDocument } from "./types";

const INT8 = 20;

/**
 * BIGINT columns (millisecond times, sequence numbers, counts) come back as numbers, like SQLite's:
 * every value this store keeps is far below 2^53.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

interface PendingAppend {
  docId: string;
  update: Uint8Array;
  sessionId: string | null;
  effect: EditCounts | undefined;
  resolve(seq: number): void;
  reject(error: unknown): void;
}

/**
 * Stores appended updates in one transaction and returns their sequence numbers. The papers' rows
 * are locked first, in id order: appends to one paper commit in the order of their sequence numbers,
 * so a node that has read up to sequence number N has every update of that paper up to N, which is
 * what makes compaction through N safe while other nodes write (decision 120).
 */
async function writeAppends(trx: Kysely<unknown>, batch: PendingAppend[], now: number): Promise<number[]> {
  const docIds = [...new Set(batch.map((append) => append.docId))].sort();
  const documents = await sql<{ id: string; key: number }>`SELECT documents.id, document_keys.key FROM documents
    JOIN document_keys ON document_keys.doc_id = documents.id
    WHERE documents.id = ANY(${docIds}) ORDER BY documents.id FOR UPDATE OF documents`.execute(trx);
  const keys = new Map(documents.rows.map((row) => [row.id, row.key]));
  const missing = docIds.find((docId) => !keys.has(docId));
  if (missing) throw new Error(`No such document: ${missing}`);

  // Rows every node may write (authors, contribution counts) are written in one order, too.
  const sessionIds = [...new Set(batch.flatMap((append) => (append.sessionId ? [append.sessionId] : [])))].sort();
  const authors = new Map<string, number>();
  if (sessionIds.length > 0) {
    await sql`INSERT INTO log_authors (session_id) SELECT unnest(${sessionIds}::text[])
      ON CONFLICT (session_id) DO NOTHING`.execute(trx);
    const { rows } = await sql<{ key: number; session_id: string }>`SELECT key, session_id FROM log_authors
      WHERE session_id = ANY(${sessionIds})`.execute(trx);
    for (const row of rows) authors.set(row.session_id, row.key);
  }

  const { rows } = await sql<{ seq: number }>`SELECT nextval('document_log_seq') AS seq
    FROM generate_series(1, ${batch.length})`.execute(trx);
  const seqs = rows.map((row) => row.seq).sort((a, b) => a - b);
  await sql`INSERT INTO document_log (doc, seq, payload, author, written_at)
    SELECT * FROM unnest(${batch.map((append) => keys.get(append.docId)!)}::bigint[], ${seqs}::bigint[],
      ${batch.map((append) => Buffer.from(append.update))}::bytea[],
      ${batch.map((append) => (append.sessionId ? authors.get(append.sessionId)! : null))}::bigint[],
      ${batch.map(() => now)}::bigint[])`.execute(trx);

  // One row per paper, author and minute: a statement may not update the same row twice.
  const minuteStart = now - (now % 60_000);
  const contributions = new Map<string, { docId: string; sessionId: string; inserted: number; deleted: number }>();
  for (const { docId, sessionId, effect } of batch) {
    if (!sessionId || !effect || (effect.inserted === 0 && effect.deleted === 0)) continue;
    const key = JSON.stringify([docId, sessionId]);
    const sum = contributions.get(key) ?? { docId, sessionId, inserted: 0, deleted: 0 };
    sum.inserted += effect.inserted;
    sum.deleted += effect.deleted;
    contributions.set(key, sum);
  }
  if (contributions.size > 0) {
    const sums = [...contributions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, sum]) => sum);
    await sql`INSERT INTO contributions (doc_id, session_id, minute_start, inserted, deleted)
      SELECT doc_id, session_id, ${minuteStart}, inserted, deleted FROM unnest(${sums.map((sum) => sum.docId)}::text[],
        ${sums.map((sum) => sum.sessionId)}::text[], ${sums.map((sum) => sum.inserted)}::integer[],
        ${sums.map((sum) => sum.deleted)}::integer[]) AS added (doc_id, session_id, inserted, deleted)
      ON CONFLICT (doc_id, session_id, minute_start)
      DO UPDATE SET inserted = contributions.inserted + excluded.inserted, deleted = contributions.deleted + excluded.deleted`.execute(
      trx,
    );
  }
  return seqs;
}

/**
 * The PostgreSQL store (`DATABASE_URL=postgres://…`): the same contract as the SQLite store, written
 * with Kysely on a `pg` pool. Several nodes may share one database (decisions 120 and 121).
 */
export async function openPostgresStore(url: string, logger?: Logger): Promise<Store> {
  // A commit returns only once it is flushed to disk, whatever the server's default: the log
  // acknowledges nothing that a crash of PostgreSQL could take back.
  const pool = new pg.Pool({ connectionString: url, max: 10, types, options: "-c synchronous_commit=on" });
  // An idle connection the server dropped (a restart, a failover) is replaced by the pool on the
  // next query; without a listener its error would end the process.
  pool.on("error", (error) => logger?.error("A PostgreSQL connection was lost; the pool opens a new one", error));
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  /**
   * Group commit, as on SQLite: the updates that arrive while a transaction is being written (or in
   * the same event-loop turn as the first) go together in the next one. Each caller's promise
   * resolves only after the COMMIT of the transaction that holds its update has returned.
   */
  let pendingAppends: PendingAppend[] = [];
  let writing: Promise<void> | null = null;

  async function commitAppends(batch: PendingAppend[]): Promise<void> {
    try {
      const seqs = await db.transaction().execute((trx) => writeAppends(trx, batch, Date.now()));
      for (const [index, append] of batch.entries()) append.resolve(seqs[index]!);
    } catch {
      // One update that cannot be stored (its paper deleted meanwhile) must not fail the others.
      for (const append of batch) {
        try {
          const [seq] = await db.transaction().execute((trx) => writeAppends(trx, [append], Date.now()));
          append.resolve(seq!);
        } catch (error) {
          append.reject(error);
        }
      }
    }
  }

  async function drainAppends(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (pendingAppends.length > 0) {
      const batch = pendingAppends;
      pendingAppends = [];
      await commitAppends(batch);
    }
    writing = null;
  }

  /** Resolves once every update appended so far is committed (or refused). */
  const appendsSettled = async (): Promise<void> => {
    while (writing) await writing;
  };

  const one = async <Row>(query: ReturnType<typeof sql<Row>>): Promise<Row | undefined> =>
    (await query.execute(db)).rows[0];

  return {
    ...postgresClassroomStore(db),
    ...postgresRoundStore(db),
    ...postgresJudgingStore(db),
    async createDebate(input) {
      const { debate } = input;
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO debates (id, title, motion, reading_title, reading_credit, reading_text, format_id,
            student_code, judge_code, audience_key, owner_id, team_mode, created_at)
          VALUES (${debate.id}, ${debate.title}, ${debate.motion}, ${debate.readingTitle}, ${debate.readingCredit},
            ${debate.readingText}, ${debate.formatId}, ${debate.studentCode}, ${debate.judgeCode}, ${debate.audienceKey},
            ${debate.ownerId}, ${debate.teamMode}, ${Date.now()})`.execute(trx);
        for (const team of input.teams) {
          await sql`INSERT INTO teams (id, debate_id, side_index, name, description, color)
            VALUES (${team.id}, ${team.debateId}, ${team.sideIndex}, ${team.name}, ${team.description}, ${team.color})`.execute(
            trx,
          );
        }
        for (const [docId, update] of input.initialDocuments) {
          const payload = Buffer.from(update);
          await sql`INSERT INTO documents (id, debate_id, scaffold) VALUES (${docId}, ${debate.id}, ${payload})`.execute(
            trx,
          );
          await sql`WITH document_key AS (INSERT INTO document_keys (doc_id) VALUES (${docId}) RETURNING key)
            INSERT INTO document_log (doc, seq, payload, author, written_at)
            SELECT key, nextval('document_log_seq'), ${payload}, NULL, ${Date.now()} FROM document_key`.execute(trx);
        }
      });
    },
    async getDebate(debateId) {
      const row = await one(sql<DebateRow>`SELECT * FROM debates WHERE id = ${debateId}`);
      return row && toDebate(row);
    },
    async findDebateByJoinCode(code) {
      const row = await one(sql<DebateRow>`SELECT * FROM debates WHERE student_code = ${code} OR judge_code = ${code}`);
      if (!row) return undefined;
      return { debate: toDebate(row), role: row.student_code === code ? "student" : "judge" };
    },
    async listDebates() {
      return (await sql<DebateRow>`SELECT * FROM debates ORDER BY created_at`.execute(db)).rows.map(toDebate);
    },
    async listTeams(debateId) {
      const { rows } =
        await sql<TeamRow>`SELECT * FROM teams WHERE debate_id = ${debateId} ORDER BY side_index`.execute(db);
      return rows.map(toTeam);
    },
    async getTeam(teamId) {
      const row = await one(sql<TeamRow>`SELECT * FROM teams WHERE id = ${teamId}`);
      return row && toTeam(row);
    },
    async setPaperLocked(teamId, locked, reason = null) {
      await sql`UPDATE teams SET paper_locked = ${locked ? 1 : 0}, paper_lock_reason = ${locked ? reason : null}
        WHERE id = ${teamId}`.execute(db);
    },
    async addPaperSnapshot(snapshot) {
      await sql`INSERT INTO paper_snapshots (id, team_id, name, state, created_at)
        VALUES (${snapshot.id}, ${snapshot.teamId}, ${snapshot.name}, ${Buffer.from(snapshot.state)}, ${snapshot.createdAt})`.execute(
        db,
      );
    },
    async listPaperSnapshots(teamId) {
      const { rows } = await sql<SnapshotRow>`SELECT * FROM paper_snapshots WHERE team_id = ${teamId}
        ORDER BY created_at, id`.execute(db);
      return rows.map(toSnapshot);
    },
    async getPaperSnapshot(snapshotId) {
      const row = await one(sql<SnapshotRow>`SELECT * FROM paper_snapshots WHERE id = ${snapshotId}`);
      return row && toSnapshot(row);
    },
    async createSession(session) {
      await sql`INSERT INTO sessions (id, role, display_name, debate_id, team_id, color, created_at)
        VALUES (${session.id}, ${session.role}, ${session.displayName}, ${session.debateId}, ${session.teamId},
          ${session.color}, ${Date.now()})`.execute(db);
    },
    async getSession(sessionId) {
      const row =
        await one(sql<SessionRow>`SELECT id, role, display_name, debate_id, NULL::text AS account_id, team_id, color
          FROM sessions WHERE id = ${sessionId}
        UNION ALL
        SELECT account_sessions.id, 'instructor', accounts.name, NULL, accounts.id, NULL, ${INSTRUCTOR_COLOR}
          FROM account_sessions JOIN accounts ON accounts.id = account_sessions.account_id
          WHERE account_sessions.id = ${sessionId}`);
      if (!row) return undefined;
      return toSessionInfo(row);
    },
    async setSessionTeam(sessionId, teamId) {
      await sql`UPDATE sessions SET team_id = ${teamId} WHERE id = ${sessionId}`.execute(db);
    },
    appendUpdate(docId, update, sessionId, effect) {
      return new Promise<number>((resolve, reject) => {
        pendingAppends.push({ docId, update, sessionId, effect, resolve, reject });
        writing ??= drainAppends();
      });
    },
    async listContributions(docId) {
      const { rows } = await sql<{ session_id: string; minute_start: number; inserted: number; deleted: number }>`
        SELECT * FROM contributions WHERE doc_id = ${docId} ORDER BY minute_start, session_id`.execute(db);
      return rows.map((row) => ({
        sessionId: row.session_id,
        minuteStart: row.minute_start,
        inserted: row.inserted,
        deleted: row.deleted,
      }));
    },
    async getPaperScaffold(docId) {
      const row = await one(sql<{ scaffold: Buffer | null }>`SELECT scaffold FROM documents WHERE id = ${docId}`);
      return row?.scaffold ? new Uint8Array(row.scaffold) : null;
    },
    async loadDocument(docId): Promise<StoredDocument | undefined> {
      await appendsSettled();
      // One snapshot of the database for both reads: a compaction by another node in between
      // would otherwise pair the old snapshot with a log it has already emptied.
      return db
        .transaction()
        .setIsolationLevel("repeatable read")
        .execute(async (trx) => {
          const document = (
            await sql<SnapshotColumns>`SELECT snapshot, snapshot_seq, snapshot_generation FROM documents
              WHERE id = ${docId}`.execute(trx)
          ).rows[0];
          if (!document) return undefined;
          // A paper not folded since migration 015 has no parts: no round trip for them.
          const { rows: parts } =
            document.snapshot_generation === null
              ? { rows: [] }
              : await sql<{ bytes: Buffer }>`SELECT bytes FROM snapshot_parts
                  WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId})
                    AND generation = ${document.snapshot_generation} ORDER BY part`.execute(trx);
          const { rows: tail } = await sql<{ seq: number; payload: Buffer }>`SELECT seq, payload FROM document_log
            WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId}) ORDER BY seq`.execute(trx);
          return storedDocument(document, parts, tail);
        });
    },
    async compactDocument(docId, snapshot, throughSeq) {
      await appendsSettled();
      const key = (await one(sql<{ key: number }>`SELECT key FROM document_keys WHERE doc_id = ${docId}`))?.key;
      if (key === undefined) return;
      // As SQLite's fold (decision 188): the parts of a new generation, each a statement of its
      // own, then the switch in one small transaction. The sequence keeps two nodes' generations apart.
      const { generation } = (await one(
        sql<{ generation: number }>`SELECT nextval('snapshot_generation_seq') AS generation`,
      ))!;
      const parts = snapshotParts(snapshot);
      for (const [index, part] of parts.entries()) {
        await sql`INSERT INTO snapshot_parts (doc, generation, part, bytes)
          VALUES (${key}, ${generation}, ${index}, ${Buffer.from(part)})`.execute(db);
      }
      await db.transaction().execute(async (trx) => {
        // The row lock queues folds and clean-ups of one paper, from any node, behind each other and
        // behind appends; one through an older sequence number than the stored snapshot's is
        // ignored, as is a generation whose parts another node's clean-up took meanwhile.
        const document = (
          await sql<{
            snapshot_seq: number;
          }>`SELECT snapshot_seq FROM documents WHERE id = ${docId} FOR UPDATE`.execute(trx)
        ).rows[0];
        if (!document || document.snapshot_seq >= throughSeq) return;
        const staged = (
          await sql<{ parts: number }>`SELECT count(*) AS parts FROM snapshot_parts
            WHERE doc = ${key} AND generation = ${generation}`.execute(trx)
        ).rows[0]!;
        if (staged.parts !== parts.length) return;
        await sql`UPDATE documents SET snapshot = NULL, snapshot_generation = ${generation}, snapshot_seq = ${throughSeq}
          WHERE id = ${docId}`.execute(trx);
        await sql`DELETE FROM document_log WHERE doc = ${key} AND seq <= ${throughSeq}`.execute(trx);
      });
      // Generations older than the one in use: replaced, or never switched to (a crash, a refused switch).
      await db.transaction().execute(async (trx) => {
        await sql`SELECT 1 FROM documents WHERE id = ${docId} FOR UPDATE`.execute(trx);
        await sql`DELETE FROM snapshot_parts WHERE doc = ${key}
          AND generation < (SELECT snapshot_generation FROM documents WHERE id = ${docId})`.execute(trx);
      });
    },
    async listDocumentsWithLongLogs(minUpdates) {
      await appendsSettled();
      const { rows } = await sql<{ doc_id: string }>`SELECT document_keys.doc_id FROM document_log
        JOIN document_keys ON document_keys.key = document_log.doc
        GROUP BY document_keys.doc_id HAVING count(*) >= ${minUpdates}`.execute(db);
      return rows.map((row) => row.doc_id);
    },
    async quarantineUpdate(docId, seq, reason) {
      await appendsSettled();
      await db.transaction().execute(async (trx) => {
        await sql`SELECT 1 FROM documents WHERE id = ${docId} FOR UPDATE`.execute(trx);
        await sql`INSERT INTO quarantined_updates (seq, doc_id, payload, session_id, created_at, quarantined_at, reason)
          SELECT seq, ${docId}, payload, log_authors.session_id, written_at, ${Date.now()}, ${reason}
          FROM document_log LEFT JOIN log_authors ON log_authors.key = document_log.author
          WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId}) AND seq = ${seq}`.execute(trx);
        await sql`DELETE FROM document_log WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId})
          AND seq = ${seq}`.execute(trx);
      });
    },
    async listQuarantinedUpdates(docId) {
      const { rows } = await sql<{
        seq: number;
        doc_id: string;
        session_id: string | null;
        created_at: number;
        quarantined_at: number;
        reason: string;
      }>`SELECT seq, doc_id, session_id, created_at, quarantined_at, reason FROM quarantined_updates
        WHERE doc_id = ${docId} ORDER BY seq`.execute(db);
      return rows.map((row) => ({
        seq: row.seq,
        docId: row.doc_id,
        sessionId: row.session_id,
        createdAt: row.created_at,
        quarantinedAt: row.quarantined_at,
        reason: row.reason,
      }));
    },
    async storedDocumentBytes(docId) {
      const row = await one(sql<{ bytes: number }>`SELECT coalesce(length(snapshot), 0)::bigint
          + (SELECT coalesce(sum(length(bytes)), 0) FROM snapshot_parts
             WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId})
               AND generation = documents.snapshot_generation)::bigint
          + (SELECT coalesce(sum(length(payload)), 0) FROM document_log
             WHERE doc = (SELECT key FROM document_keys WHERE doc_id = ${docId}))::bigint AS bytes
        FROM documents WHERE id = ${docId}`);
      return row?.bytes ?? 0;
    },
    async getRound(debateId) {
      const row = await one(sql<{ state_json: string }>`SELECT state_json FROM rounds WHERE debate_id = ${debateId}`);
      return row && roundStateSchema.parse(JSON.parse(row.state_json));
    },
    async getSetting(key) {
      return (await one(sql<{ value: string }>`SELECT value FROM settings WHERE key = ${key}`))?.value;
    },
    async setSetting(key, value) {
      await sql`INSERT INTO settings (key, value) VALUES (${key}, ${value})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
    },
    async close() {
      await appendsSettled();
      await db.destroy();
    },
  };
}
