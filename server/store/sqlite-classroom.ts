import type Database from "better-sqlite3";
import type { ParticipantSession, Role } from "../../shared/session";
import { type DebateRow, toDebate } from "./sqlite-debate-row";
import type { AccountRecord, BanRecord, ClassroomStore } from "./types";

export interface AccountRow {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  created_at: number;
}

export interface ParticipantRow {
  id: string;
  role: Exclude<Role, "instructor">;
  display_name: string;
  debate_id: string;
  team_id: string | null;
  color: string;
}

export const toParticipant = (row: ParticipantRow): ParticipantSession => ({
  id: row.id,
  role: row.role,
  displayName: row.display_name,
  debateId: row.debate_id,
  accountId: null,
  teamId: row.team_id,
  color: row.color,
});

export interface BanRow {
  id: string;
  debate_id: string;
  device_id: string;
  display_name: string;
  banned_at: number;
}

export const toAccount = (row: AccountRow): AccountRecord => ({
  id: row.id,
  name: row.name,
  email: row.email,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

const CODE_COLUMNS = { student: "student_code", judge: "judge_code", audience: "audience_key" } as const;

/** The classroom flow's part of the SQLite store: accounts, debate settings, participants. */
export function classroomStore(db: Database.Database): ClassroomStore {
  const statements = {
    insertAccount: db.prepare(
      `INSERT INTO accounts (id, name, email, password_hash, created_at)
       VALUES (@id, @name, @email, @passwordHash, @createdAt) ON CONFLICT (email) DO NOTHING`,
    ),
    getAccount: db.prepare<[string], AccountRow>("SELECT * FROM accounts WHERE id = ?"),
    accountByEmail: db.prepare<[string], AccountRow>("SELECT * FROM accounts WHERE email = ?"),
    setPassword: db.prepare("UPDATE accounts SET password_hash = ? WHERE id = ?"),
    insertAccountSession: db.prepare("INSERT INTO account_sessions (id, account_id, created_at) VALUES (?, ?, ?)"),
    deleteAccountSession: db.prepare("DELETE FROM account_sessions WHERE id = ?"),
    deleteOtherAccountSessions: db.prepare<[string, string], { id: string }>(
      "DELETE FROM account_sessions WHERE account_id = ? AND id <> ? RETURNING id",
    ),
    deleteAccountSessionsBefore: db.prepare<[number], { id: string }>(
      "DELETE FROM account_sessions WHERE created_at < ? RETURNING id",
    ),
    claimUnowned: db.prepare("UPDATE debates SET owner_id = ? WHERE owner_id IS NULL"),
    debatesOwnedBy: db.prepare<[string], DebateRow>(
      "SELECT * FROM debates WHERE owner_id = ? ORDER BY archived_at IS NOT NULL, created_at DESC",
    ),
    debateByAudienceKey: db.prepare<[string], DebateRow>("SELECT * FROM debates WHERE audience_key = ?"),
    setTitle: db.prepare("UPDATE debates SET title = ? WHERE id = ?"),
    setTeamMode: db.prepare("UPDATE debates SET team_mode = ? WHERE id = ?"),
    setRevealPolicy: db.prepare("UPDATE debates SET reveal_policy = ? WHERE id = ?"),
    setCodeNames: db.prepare("UPDATE debates SET code_names = ? WHERE id = ?"),
    setArchivedAt: db.prepare("UPDATE debates SET archived_at = ? WHERE id = ?"),
    setCode: {
      student: db.prepare(`UPDATE debates SET ${CODE_COLUMNS.student} = ? WHERE id = ?`),
      judge: db.prepare(`UPDATE debates SET ${CODE_COLUMNS.judge} = ? WHERE id = ?`),
      audience: db.prepare(`UPDATE debates SET ${CODE_COLUMNS.audience} = ? WHERE id = ?`),
    },
    deleteDebate: db.prepare("DELETE FROM debates WHERE id = ?"),
    participants: db.prepare<[string], ParticipantRow>(
      "SELECT * FROM sessions WHERE debate_id = ? ORDER BY created_at, id",
    ),
    renameSession: db.prepare("UPDATE sessions SET display_name = ? WHERE id = ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE id = ?"),
    setSessionDevice: db.prepare("UPDATE sessions SET device_id = ? WHERE id = ?"),
    sessionDevices: db.prepare<[string], { id: string; device_id: string }>(
      "SELECT id, device_id FROM sessions WHERE debate_id = ? AND device_id IS NOT NULL ORDER BY created_at, id",
    ),
    insertBan: db.prepare(
      `INSERT INTO debate_bans (id, debate_id, device_id, display_name, banned_at)
       VALUES (@id, @debateId, @deviceId, @displayName, @bannedAt) ON CONFLICT (debate_id, device_id) DO NOTHING`,
    ),
    listBans: db.prepare<[string], BanRow>("SELECT * FROM debate_bans WHERE debate_id = ? ORDER BY banned_at, id"),
    deleteBan: db.prepare("DELETE FROM debate_bans WHERE debate_id = ? AND id = ?"),
    findBan: db.prepare<[string, string], { id: string }>(
      "SELECT id FROM debate_bans WHERE debate_id = ? AND device_id = ?",
    ),
  };

  return {
    async createAccount(account) {
      return statements.insertAccount.run({ ...account, createdAt: Date.now() }).changes === 1;
    },
    async getAccount(accountId) {
      const row = statements.getAccount.get(accountId);
      return row && toAccount(row);
    },
    async findAccountByEmail(email) {
      const row = statements.accountByEmail.get(email);
      return row && toAccount(row);
    },
    async setAccountPassword(accountId, passwordHash) {
      statements.setPassword.run(passwordHash, accountId);
    },
    async createAccountSession(sessionId, accountId) {
      statements.insertAccountSession.run(sessionId, accountId, Date.now());
    },
    async deleteAccountSession(sessionId) {
      statements.deleteAccountSession.run(sessionId);
    },
    async deleteOtherAccountSessions(accountId, keepSessionId) {
      return statements.deleteOtherAccountSessions.all(accountId, keepSessionId).map((row) => row.id);
    },
    async deleteAccountSessionsCreatedBefore(createdBefore) {
      return statements.deleteAccountSessionsBefore.all(createdBefore).map((row) => row.id);
    },
    async setSessionDevice(sessionId, deviceId) {
      statements.setSessionDevice.run(deviceId, sessionId);
    },
    async listSessionDevices(debateId) {
      return statements.sessionDevices.all(debateId).map((row) => ({ sessionId: row.id, deviceId: row.device_id }));
    },
    async banDevice(ban) {
      statements.insertBan.run({ ...ban, bannedAt: Date.now() });
    },
    async listBans(debateId) {
      return statements.listBans.all(debateId).map(
        (row): BanRecord => ({
          id: row.id,
          debateId: row.debate_id,
          deviceId: row.device_id,
          displayName: row.display_name,
          bannedAt: row.banned_at,
        }),
      );
    },
    async liftBan(debateId, banId) {
      return statements.deleteBan.run(debateId, banId).changes === 1;
    },
    async isDeviceBanned(debateId, deviceId) {
      return statements.findBan.get(debateId, deviceId) !== undefined;
    },
    async claimUnownedDebates(accountId) {
      return statements.claimUnowned.run(accountId).changes;
    },
    async listDebatesOwnedBy(accountId) {
      return statements.debatesOwnedBy.all(accountId).map(toDebate);
    },
    async findDebateByAudienceKey(audienceKey) {
      const row = statements.debateByAudienceKey.get(audienceKey);
      return row && toDebate(row);
    },
    async updateDebateSettings(debateId, settings) {
      db.transaction(() => {
        if (settings.title !== undefined) statements.setTitle.run(settings.title, debateId);
        if (settings.teamMode !== undefined) statements.setTeamMode.run(settings.teamMode, debateId);
        if (settings.revealPolicy !== undefined) statements.setRevealPolicy.run(settings.revealPolicy, debateId);
        if (settings.codeNames !== undefined) statements.setCodeNames.run(settings.codeNames ? 1 : 0, debateId);
        if (settings.archivedAt !== undefined) statements.setArchivedAt.run(settings.archivedAt, debateId);
      })();
    },
    async setDebateCode(debateId, which, value) {
      statements.setCode[which].run(value, debateId);
    },
    async deleteDebate(debateId) {
      // Foreign keys cascade from the debate to teams, sessions, documents (and their update log),
      // snapshots and the round; anything another feature hangs off a debate must cascade too.
      statements.deleteDebate.run(debateId);
    },
    async listParticipants(debateId): Promise<ParticipantSession[]> {
      return statements.participants.all(debateId).map(toParticipant);
    },
    async renameSession(sessionId, displayName) {
      statements.renameSession.run(displayName, sessionId);
    },
    async deleteSession(sessionId) {
      statements.deleteSession.run(sessionId);
    },
  };
}
