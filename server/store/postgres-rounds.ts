import { type Kysely, sql } from "kysely";
import { formatSchema } from "../../shared/rounds/formats";
import { roundStateSchema } from "../../shared/rounds/round";
import { type AuditRow, toAuditEntry } from "./sqlite-rounds";
import { type RoundAuditEntry, type RoundStore, StaleRoundError } from "./types";

/** Writes a round's state and raises its version (1 for the first write). */
function saveRound(db: Kysely<unknown>, debateId: string, state: unknown, now: number) {
  return sql`INSERT INTO rounds (debate_id, state_json, updated_at, version) VALUES (${debateId}, ${JSON.stringify(state)}, ${now}, 1)
    ON CONFLICT (debate_id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at,
      version = rounds.version + 1`.execute(db);
}

/**
 * Takes the debate's row lock, which every write of its round takes first, then checks the round is
 * still at `expectedVersion` (when given). `FOR NO KEY UPDATE` leaves inserts that reference the
 * debate free.
 */
async function lockRound(trx: Kysely<unknown>, debateId: string, expectedVersion: number | undefined) {
  await sql`SELECT 1 FROM debates WHERE id = ${debateId} FOR NO KEY UPDATE`.execute(trx);
  if (expectedVersion === undefined) return;
  const { rows } = await sql<{ version: number }>`SELECT version FROM rounds WHERE debate_id = ${debateId}`.execute(
    trx,
  );
  const found = rows[0]?.version ?? 0;
  if (found !== expectedVersion) throw new StaleRoundError(debateId, expectedVersion, found);
}

/**
 * The round tables on PostgreSQL. Each commit takes the debate's row lock first, so commits of one
 * round from several nodes queue up one after the other and a versioned commit compares with the
 * version the previous one left (decision 121).
 */
export function postgresRoundStore(db: Kysely<unknown>): RoundStore {
  async function write(trx: Kysely<unknown>, entry: RoundAuditEntry, state: unknown, expectedVersion?: number) {
    await lockRound(trx, entry.debateId, expectedVersion);
    if (entry.outcome === "applied") await saveRound(trx, entry.debateId, state, entry.serverTime);
    await sql`INSERT INTO round_commands (debate_id, session_id, actor_name, command_json, outcome, reason, phase_index, server_time)
      VALUES (${entry.debateId}, ${entry.sessionId}, ${entry.actorName}, ${JSON.stringify(entry.command)}, ${entry.outcome},
        ${entry.reason}, ${entry.phaseIndex}, ${entry.serverTime})`.execute(trx);
  }

  return {
    async commitRoundCommand(entry, state, expectedVersion) {
      await db.transaction().execute((trx) => write(trx, entry, state, expectedVersion));
    },
    async getVersionedRound(debateId) {
      const row = (
        await sql<{
          state_json: string;
          version: number;
        }>`SELECT state_json, version FROM rounds WHERE debate_id = ${debateId}`.execute(db)
      ).rows[0];
      return row && { round: roundStateSchema.parse(JSON.parse(row.state_json)), version: row.version };
    },
    async listRoundAudit(debateId) {
      const { rows } =
        await sql<AuditRow>`SELECT * FROM round_commands WHERE debate_id = ${debateId} ORDER BY seq`.execute(db);
      return rows.map(toAuditEntry);
    },
    async listRoundAuditPage(debateId, limit, offset) {
      const page = await sql<AuditRow>`SELECT * FROM round_commands WHERE debate_id = ${debateId}
        ORDER BY seq DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
      const count = await sql<{
        total: number;
      }>`SELECT count(*) AS total FROM round_commands WHERE debate_id = ${debateId}`.execute(db);
      return { entries: page.rows.map(toAuditEntry), total: count.rows[0]?.total ?? 0 };
    },
    async listRounds() {
      const { rows } = await sql<{
        debate_id: string;
        state_json: string;
      }>`SELECT debate_id, state_json FROM rounds`.execute(db);
      return rows.map((row) => ({
        debateId: row.debate_id,
        round: roundStateSchema.parse(JSON.parse(row.state_json)),
      }));
    },
    async saveCustomFormat(debateId, format) {
      await sql`INSERT INTO custom_formats (id, debate_id, format_json, updated_at)
        VALUES (${format.id}, ${debateId}, ${JSON.stringify(format)}, ${Date.now()})
        ON CONFLICT (id) DO UPDATE SET format_json = excluded.format_json, updated_at = excluded.updated_at`.execute(
        db,
      );
    },
    async getCustomFormat(formatId) {
      const row = (
        await sql<{
          debate_id: string;
          format_json: string;
        }>`SELECT debate_id, format_json FROM custom_formats WHERE id = ${formatId}`.execute(db)
      ).rows[0];
      return row && { debateId: row.debate_id, format: formatSchema.parse(JSON.parse(row.format_json)) };
    },
    async listCustomFormats(debateId) {
      const { rows } = await sql<{ format_json: string }>`SELECT format_json FROM custom_formats
        WHERE debate_id = ${debateId} ORDER BY updated_at, id`.execute(db);
      return rows.map((row) => formatSchema.parse(JSON.parse(row.format_json)));
    },
    async setDebateFormat(debateId, formatId, round, expectedVersion) {
      await db.transaction().execute(async (trx) => {
        await lockRound(trx, debateId, expectedVersion);
        await sql`UPDATE debates SET format_id = ${formatId} WHERE id = ${debateId}`.execute(trx);
        await saveRound(trx, debateId, round, Date.now());
      });
    },
  };
}
