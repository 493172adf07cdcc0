import type Database from "better-sqlite3";
import { formatSchema } from "../../shared/rounds/formats";
import { roundCommandSchema, roundStateSchema } from "../../shared/rounds/round";
import { type RoundAuditEntry, type RoundStore, StaleRoundError } from "./types";

export interface AuditRow {
  seq: number;
  debate_id: string;
  session_id: string;
  actor_name: string;
  command_json: string;
  outcome: "applied" | "refused";
  reason: string | null;
  phase_index: number;
  server_time: number;
}

export const toAuditEntry = (row: AuditRow): RoundAuditEntry => ({
  debateId: row.debate_id,
  sessionId: row.session_id,
  actorName: row.actor_name,
  command: roundCommandSchema.parse(JSON.parse(row.command_json)),
  outcome: row.outcome,
  reason: row.reason,
  phaseIndex: row.phase_index,
  serverTime: row.server_time,
});

interface PendingCommit {
  entry: RoundAuditEntry;
  state: unknown;
  expectedVersion: number | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The round tables (migration 004): audited commands, custom formats, and the round state beside
 * them. `flush` writes the commits still waiting for their turn; the store calls it before closing.
 */
export function sqliteRoundStore(db: Database.Database): { store: RoundStore; flush(): void } {
  const statements = {
    saveRound: db.prepare(
      `INSERT INTO rounds (debate_id, state_json, updated_at, version) VALUES (?, ?, ?, 1)
       ON CONFLICT (debate_id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at,
         version = rounds.version + 1`,
    ),
    roundVersion: db.prepare<[string], { version: number }>("SELECT version FROM rounds WHERE debate_id = ?"),
    getVersionedRound: db.prepare<[string], { state_json: string; version: number }>(
      "SELECT state_json, version FROM rounds WHERE debate_id = ?",
    ),
    listRounds: db.prepare<[], { debate_id: string; state_json: string }>("SELECT debate_id, state_json FROM rounds"),
    insertAudit: db.prepare(
      `INSERT INTO round_commands (debate_id, session_id, actor_name, command_json, outcome, reason, phase_index, server_time)
       VALUES (@debateId, @sessionId, @actorName, @commandJson, @outcome, @reason, @phaseIndex, @serverTime)`,
    ),
    listAudit: db.prepare<[string], AuditRow>("SELECT * FROM round_commands WHERE debate_id = ? ORDER BY seq"),
    auditPage: db.prepare<[string, number, number], AuditRow>(
      "SELECT * FROM round_commands WHERE debate_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
    ),
    auditCount: db.prepare<[string], { total: number }>(
      "SELECT count(*) AS total FROM round_commands WHERE debate_id = ?",
    ),
    upsertFormat: db.prepare(
      `INSERT INTO custom_formats (id, debate_id, format_json, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET format_json = excluded.format_json, updated_at = excluded.updated_at`,
    ),
    getFormat: db.prepare<[string], { debate_id: string; format_json: string }>(
      "SELECT debate_id, format_json FROM custom_formats WHERE id = ?",
    ),
    listFormats: db.prepare<[string], { format_json: string }>(
      "SELECT format_json FROM custom_formats WHERE debate_id = ? ORDER BY updated_at, id",
    ),
    setDebateFormat: db.prepare("UPDATE debates SET format_id = ? WHERE id = ?"),
  };

  // The state and the audit row of one command are written together: no applied command goes unrecorded.
  const checkVersion = (debateId: string, expectedVersion: number | undefined) => {
    if (expectedVersion === undefined) return;
    const found = statements.roundVersion.get(debateId)?.version ?? 0;
    if (found !== expectedVersion) throw new StaleRoundError(debateId, expectedVersion, found);
  };
  const write = (entry: RoundAuditEntry, state: unknown, expectedVersion: number | undefined) => {
    checkVersion(entry.debateId, expectedVersion);
    if (entry.outcome === "applied") statements.saveRound.run(entry.debateId, JSON.stringify(state), entry.serverTime);
    statements.insertAudit.run({ ...entry, commandJson: JSON.stringify(entry.command) });
  };
  const commitOne = db.transaction(write);
  const commitBatch = db.transaction((batch: PendingCommit[]) => {
    for (const { entry, state, expectedVersion } of batch) write(entry, state, expectedVersion);
  });

  /**
   * Group commit: the commands of one event-loop turn (a class of debates pressing Start together)
   * share one transaction, so one fsync instead of one each. Each caller's promise still resolves
   * only once its own rows are on disk, so a state is never broadcast before its audit entry.
   */
  let pending: PendingCommit[] = [];
  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      commitBatch.immediate(batch);
    } catch {
      // One entry that cannot be written must not take the others down with it: each on its own.
      for (const commit of batch) {
        try {
          commitOne.immediate(commit.entry, commit.state, commit.expectedVersion);
          commit.resolve();
        } catch (error) {
          commit.reject(error);
        }
      }
      return;
    }
    for (const commit of batch) commit.resolve();
  }

  const changeFormat = db.transaction(
    (debateId: string, formatId: string, state: unknown, now: number, expectedVersion: number | undefined) => {
      checkVersion(debateId, expectedVersion);
      statements.setDebateFormat.run(formatId, debateId);
      statements.saveRound.run(debateId, JSON.stringify(state), now);
    },
  );

  const store: RoundStore = {
    commitRoundCommand(entry, state, expectedVersion) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ entry, state, expectedVersion, resolve, reject });
        if (pending.length === 1) setImmediate(flush);
      });
    },
    async getVersionedRound(debateId) {
      // Only this debate's own waiting commit must land before it is read: flushing on every read
      // would commit each command of a wave alone (the next debate's command reads first).
      if (pending.some((commit) => commit.entry.debateId === debateId)) flush();
      const row = statements.getVersionedRound.get(debateId);
      return row && { round: roundStateSchema.parse(JSON.parse(row.state_json)), version: row.version };
    },
    async listRoundAudit(debateId) {
      return statements.listAudit.all(debateId).map(toAuditEntry);
    },
    async listRoundAuditPage(debateId, limit, offset) {
      return {
        entries: statements.auditPage.all(debateId, limit, offset).map(toAuditEntry),
        total: statements.auditCount.get(debateId)?.total ?? 0,
      };
    },
    async listRounds() {
      return statements.listRounds
        .all()
        .map((row) => ({ debateId: row.debate_id, round: roundStateSchema.parse(JSON.parse(row.state_json)) }));
    },
    async saveCustomFormat(debateId, format) {
      statements.upsertFormat.run(format.id, debateId, JSON.stringify(format), Date.now());
    },
    async getCustomFormat(formatId) {
      const row = statements.getFormat.get(formatId);
      return row && { debateId: row.debate_id, format: formatSchema.parse(JSON.parse(row.format_json)) };
    },
    async listCustomFormats(debateId) {
      return statements.listFormats.all(debateId).map((row) => formatSchema.parse(JSON.parse(row.format_json)));
    },
    async setDebateFormat(debateId, formatId, round, expectedVersion) {
      changeFormat.immediate(debateId, formatId, round, Date.now(), expectedVersion);
    },
  };
  return { store, flush };
}
