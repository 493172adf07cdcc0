import { type Kysely, sql } from "kysely";
import { rubricSchema } from "../../shared/judging/rubrics";
import type { ParticipantSession } from "../../shared/session";
import { type AccountRow, type BanRow, type ParticipantRow, toAccount, toParticipant } from "./sqlite-classroom";
import type { DebateRow } from "./sqlite-debate-row";
import { toDebate } from "./sqlite-debate-row";
import { type BallotRow, type SettingsRow, toBallot, type VoteRow } from "./sqlite-judging";
import type { ClassroomStore, JudgingStore } from "./types";

const CODE_COLUMNS = { student: "student_code", judge: "judge_code", audience: "audience_key" } as const;

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);

/** Accounts, debate settings and participants on PostgreSQL; the same rows as SQLite's. */
export function postgresClassroomStore(db: Kysely<unknown>): ClassroomStore {
  return {
    async createAccount(account) {
      const result = await sql`INSERT INTO accounts (id, name, email, password_hash, created_at)
        VALUES (${account.id}, ${account.name}, ${account.email}, ${account.passwordHash}, ${Date.now()})
        ON CONFLICT ((lower(email))) DO NOTHING`.execute(db);
      return affected(result) === 1;
    },
    async getAccount(accountId) {
      const row = (await sql<AccountRow>`SELECT * FROM accounts WHERE id = ${accountId}`.execute(db)).rows[0];
      return row && toAccount(row);
    },
    async findAccountByEmail(email) {
      const row = (await sql<AccountRow>`SELECT * FROM accounts WHERE lower(email) = lower(${email})`.execute(db))
        .rows[0];
      return row && toAccount(row);
    },
    async setAccountPassword(accountId, passwordHash) {
      await sql`UPDATE accounts SET password_hash = ${passwordHash} WHERE id = ${accountId}`.execute(db);
    },
    async createAccountSession(sessionId, accountId) {
      await sql`INSERT INTO account_sessions (id, account_id, created_at) VALUES (${sessionId}, ${accountId}, ${Date.now()})`.execute(
        db,
      );
    },
    async deleteAccountSession(sessionId) {
      await sql`DELETE FROM account_sessions WHERE id = ${sessionId}`.execute(db);
    },
    async deleteOtherAccountSessions(accountId, keepSessionId) {
      const { rows } = await sql<{ id: string }>`DELETE FROM account_sessions
        WHERE account_id = ${accountId} AND id <> ${keepSessionId} RETURNING id`.execute(db);
      return rows.map((row) => row.id);
    },
    async deleteAccountSessionsCreatedBefore(createdBefore) {
      const { rows } = await sql<{ id: string }>`DELETE FROM account_sessions
        WHERE created_at < ${createdBefore} RETURNING id`.execute(db);
      return rows.map((row) => row.id);
    },
    async setSessionDevice(sessionId, deviceId) {
      await sql`UPDATE sessions SET device_id = ${deviceId} WHERE id = ${sessionId}`.execute(db);
    },
    async listSessionDevices(debateId) {
      const { rows } = await sql<{ id: string; device_id: string }>`SELECT id, device_id FROM sessions
        WHERE debate_id = ${debateId} AND device_id IS NOT NULL ORDER BY created_at, id`.execute(db);
      return rows.map((row) => ({ sessionId: row.id, deviceId: row.device_id }));
    },
    async banDevice(ban) {
      await sql`INSERT INTO debate_bans (id, debate_id, device_id, display_name, banned_at)
        VALUES (${ban.id}, ${ban.debateId}, ${ban.deviceId}, ${ban.displayName}, ${Date.now()})
        ON CONFLICT (debate_id, device_id) DO NOTHING`.execute(db);
    },
    async listBans(debateId) {
      const { rows } = await sql<BanRow>`SELECT * FROM debate_bans WHERE debate_id = ${debateId}
        ORDER BY banned_at, id`.execute(db);
      return rows.map((row) => ({
        id: row.id,
        debateId: row.debate_id,
        deviceId: row.device_id,
        displayName: row.display_name,
        bannedAt: row.banned_at,
      }));
    },
    async liftBan(debateId, banId) {
      return (
        affected(await sql`DELETE FROM debate_bans WHERE debate_id = ${debateId} AND id = ${banId}`.execute(db)) === 1
      );
    },
    async isDeviceBanned(debateId, deviceId) {
      const { rows } =
        await sql`SELECT id FROM debate_bans WHERE debate_id = ${debateId} AND device_id = ${deviceId}`.execute(db);
      return rows.length > 0;
    },
    async claimUnownedDebates(accountId) {
      return affected(await sql`UPDATE debates SET owner_id = ${accountId} WHERE owner_id IS NULL`.execute(db));
    },
    async listDebatesOwnedBy(accountId) {
      const { rows } = await sql<DebateRow>`SELECT * FROM debates WHERE owner_id = ${accountId}
        ORDER BY archived_at IS NOT NULL, created_at DESC`.execute(db);
      return rows.map(toDebate);
    },
    async findDebateByAudienceKey(audienceKey) {
      const row = (await sql<DebateRow>`SELECT * FROM debates WHERE audience_key = ${audienceKey}`.execute(db)).rows[0];
      return row && toDebate(row);
    },
    async updateDebateSettings(debateId, settings) {
      const codeNames = settings.codeNames === undefined ? null : settings.codeNames ? 1 : 0;
      // Each column keeps its value unless the settings name it; archivedAt may be set back to null.
      await sql`UPDATE debates SET
          title = coalesce(${settings.title ?? null}, title),
          team_mode = coalesce(${settings.teamMode ?? null}, team_mode),
          reveal_policy = coalesce(${settings.revealPolicy ?? null}, reveal_policy),
          code_names = coalesce(${codeNames}::integer, code_names),
          archived_at = CASE WHEN ${settings.archivedAt !== undefined} THEN ${settings.archivedAt ?? null}::bigint ELSE archived_at END
        WHERE id = ${debateId}`.execute(db);
    },
    async setDebateCode(debateId, which, value) {
      await sql`UPDATE debates SET ${sql.ref(CODE_COLUMNS[which])} = ${value} WHERE id = ${debateId}`.execute(db);
    },
    async deleteDebate(debateId) {
      // Foreign keys cascade from the debate to everything that hangs off it, as on SQLite.
      await sql`DELETE FROM debates WHERE id = ${debateId}`.execute(db);
    },
    async listParticipants(debateId): Promise<ParticipantSession[]> {
      const { rows } = await sql<ParticipantRow>`SELECT * FROM sessions WHERE debate_id = ${debateId}
        ORDER BY created_at, id`.execute(db);
      return rows.map(toParticipant);
    },
    async renameSession(sessionId, displayName) {
      await sql`UPDATE sessions SET display_name = ${displayName} WHERE id = ${sessionId}`.execute(db);
    },
    async deleteSession(sessionId) {
      await sql`DELETE FROM sessions WHERE id = ${sessionId}`.execute(db);
    },
  };
}

/** The judging tables on PostgreSQL. */
export function postgresJudgingStore(db: Kysely<unknown>): JudgingStore {
  return {
    async getJudgingSettings(debateId) {
      const row = (
        await sql<SettingsRow>`SELECT rubric_json, custom_rubric_json, chair_session_id, release_stage
          FROM judging_settings WHERE debate_id = ${debateId}`.execute(db)
      ).rows[0];
      if (!row) return undefined;
      return {
        rubric: rubricSchema.parse(JSON.parse(row.rubric_json)),
        customRubric: row.custom_rubric_json ? rubricSchema.parse(JSON.parse(row.custom_rubric_json)) : null,
        chairSessionId: row.chair_session_id,
        releaseStage: row.release_stage,
      };
    },
    async saveJudgingSettings(debateId, settings) {
      const custom = settings.customRubric ? JSON.stringify(settings.customRubric) : null;
      await sql`INSERT INTO judging_settings (debate_id, rubric_json, custom_rubric_json, chair_session_id, release_stage, updated_at)
        VALUES (${debateId}, ${JSON.stringify(settings.rubric)}, ${custom}, ${settings.chairSessionId},
          ${settings.releaseStage}, ${Date.now()})
        ON CONFLICT (debate_id) DO UPDATE SET rubric_json = excluded.rubric_json,
          custom_rubric_json = excluded.custom_rubric_json, chair_session_id = excluded.chair_session_id,
          release_stage = excluded.release_stage, updated_at = excluded.updated_at`.execute(db);
    },
    async saveBallot(ballot) {
      await sql`INSERT INTO ballots (judge_session_id, debate_id, status, content_json, updated_at, submitted_at)
        VALUES (${ballot.judgeSessionId}, ${ballot.debateId}, ${ballot.status}, ${JSON.stringify(ballot.content)},
          ${ballot.updatedAt}, ${ballot.submittedAt})
        ON CONFLICT (judge_session_id) DO UPDATE SET status = excluded.status, content_json = excluded.content_json,
          updated_at = excluded.updated_at, submitted_at = excluded.submitted_at`.execute(db);
    },
    async getBallot(judgeSessionId) {
      const row = (await sql<BallotRow>`SELECT * FROM ballots WHERE judge_session_id = ${judgeSessionId}`.execute(db))
        .rows[0];
      return row ? toBallot(row) : undefined;
    },
    async listBallots(debateId) {
      const { rows } =
        await sql<BallotRow>`SELECT * FROM ballots WHERE debate_id = ${debateId} ORDER BY updated_at`.execute(db);
      return rows.map(toBallot);
    },
    async saveAudienceVote(vote) {
      await sql`INSERT INTO audience_votes (session_id, moment, debate_id, team_id, voted_at)
        VALUES (${vote.sessionId}, ${vote.moment}, ${vote.debateId}, ${vote.teamId}, ${vote.votedAt})
        ON CONFLICT (session_id, moment) DO UPDATE SET team_id = excluded.team_id, voted_at = excluded.voted_at`.execute(
        db,
      );
    },
    async listAudienceVotes(debateId) {
      const { rows } = await sql<VoteRow>`SELECT * FROM audience_votes WHERE debate_id = ${debateId}
        ORDER BY voted_at`.execute(db);
      return rows.map((row) => ({
        sessionId: row.session_id,
        moment: row.moment,
        debateId: row.debate_id,
        teamId: row.team_id,
        votedAt: row.voted_at,
      }));
    },
  };
}
