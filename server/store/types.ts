import type { RevealPolicy, TeamMode } from "../../shared/classroom/rules";
import type { Rubric } from "../../shared/judging/rubrics";
import type { AudienceMoment, BallotContent, BallotStatus, ReleaseStage } from "../../shared/judging/rules";
import type { Format } from "../../shared/rounds/formats";
import type { RoundCommand } from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";
import type { ParticipantSession, SessionInfo } from "../../shared/session";

export type { RevealPolicy, TeamMode };

export interface DebateRecord {
  id: string;
  title: string;
  motion: string;
  readingTitle: string;
  readingCredit: string;
  readingText: string;
  formatId: string;
  studentCode: string;
  judgeCode: string;
  /** Secret in the audience link `/watch/<key>` (128 random bits). */
  audienceKey: string;
  /** The instructor account that runs the debate; null for the debate seeded on first start until claimed. */
  ownerId: string | null;
  teamMode: TeamMode;
  /** Judges and audience see "Realpolitik · Speaker 2" instead of students' names. */
  codeNames: boolean;
  archivedAt: number | null;
  /** When students may read the other team's paper. */
  revealPolicy: RevealPolicy;
  createdAt: number;
}

export interface TeamRecord {
  id: string;
  debateId: string;
  /** Position of the side in the debate: 0 is side A, 1 side B, … */
  sideIndex: number;
  name: string;
  description: string;
  color: string;
  /** A locked paper can be changed by the instructor only. */
  paperLocked: boolean;
  /** What locked it, e.g. "the end of Drafting"; null for a lock without a stated cause. */
  paperLockReason: string | null;
}

/** An immutable copy of a paper taken when it was locked ("end of Drafting, 10:42:00"). */
export interface PaperSnapshotRecord {
  id: string;
  teamId: string;
  name: string;
  state: Uint8Array;
  createdAt: number;
}

export interface EditCounts {
  inserted: number;
  deleted: number;
}

export interface ContributionRecord extends EditCounts {
  sessionId: string;
  /** Start of the minute these counts cover (ms since the epoch). */
  minuteStart: number;
}

export interface NewDebate {
  debate: Omit<DebateRecord, "createdAt" | "revealPolicy" | "codeNames" | "archivedAt">;
  teams: TeamRecord[];
  /** First stored update of each team's paper (the scaffold), keyed by document id. */
  initialDocuments: Map<string, Uint8Array>;
}

/** A paper's stored state: the last compacted snapshot plus every update appended after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** The log sequence number of each entry of `updates`. */
  seqs: number[];
  /** Sequence number of the last update included, 0 when the log is empty. */
  lastSeq: number;
}

/** A stored update that failed to apply when its paper loaded, set aside (not deleted). */
export interface QuarantinedUpdate {
  seq: number;
  docId: string;
  /** Who sent it, as the log recorded it; null for server-written entries. */
  sessionId: string | null;
  createdAt: number;
  quarantinedAt: number;
  reason: string;
}

/** One round command as the audit log keeps it: who sent what, when, and what came of it. */
export interface RoundAuditEntry {
  debateId: string;
  sessionId: string;
  actorName: string;
  command: RoundCommand;
  outcome: "applied" | "refused";
  /** Why a refused command was refused. */
  reason: string | null;
  /** The phase the round was in when the command arrived. */
  phaseIndex: number;
  serverTime: number;
}

/** A round's state and its version: 0 before the first write, raised by one at every write of the state. */
export interface VersionedRound {
  round: RoundState;
  version: number;
}

/**
 * A round command was computed from a round another writer (another node) has changed since: nothing
 * was written, and the command must be applied again to the fresh state.
 */
export class StaleRoundError extends Error {
  constructor(debateId: string, expected: number, found: number) {
    super(`Round ${debateId} is at version ${found}, not ${expected}`);
    this.name = "StaleRoundError";
  }
}

/** What the round service persists beyond the round state itself (server/store/sqlite-rounds.ts). */
export interface RoundStore {
  /**
   * Saves the new state of an applied command and its audit entry atomically; a refusal is only
   * audited. With `expectedVersion` (from getVersionedRound) nothing is written, and the promise
   * rejects with StaleRoundError, unless the round is still at that version: of two writers of one
   * round, one wins and the other re-applies its command to the winner's state.
   */
  commitRoundCommand(entry: RoundAuditEntry, state: RoundState | null, expectedVersion?: number): Promise<void>;
  /** The round and its version; version 0 and no round when it was never written. */
  getVersionedRound(debateId: string): Promise<VersionedRound | undefined>;
  listRoundAudit(debateId: string): Promise<RoundAuditEntry[]>;
  /** One page of the audit, newest first, and how many entries there are in all. */
  listRoundAuditPage(
    debateId: string,
    limit: number,
    offset: number,
  ): Promise<{ entries: RoundAuditEntry[]; total: number }>;
  listRounds(): Promise<{ debateId: string; round: RoundState }[]>;
  saveCustomFormat(debateId: string, format: Format): Promise<void>;
  getCustomFormat(formatId: string): Promise<{ debateId: string; format: Format } | undefined>;
  listCustomFormats(debateId: string): Promise<Format[]>;
  /**
   * Switches a debate to another format and puts its round back to the start, atomically; with
   * `expectedVersion`, only if the round is still at that version (else StaleRoundError).
   */
  setDebateFormat(debateId: string, formatId: string, round: RoundState, expectedVersion?: number): Promise<void>;
}

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  /** scrypt hash, see server/auth/passwords.ts; never the password. */
  passwordHash: string;
  createdAt: number;
}

export interface DebateSettings {
  title?: string;
  teamMode?: TeamMode;
  revealPolicy?: RevealPolicy;
  codeNames?: boolean;
  archivedAt?: number | null;
}

/** Instructor accounts and the classroom flow (server/store/sqlite-classroom.ts). */
export interface BanRecord {
  id: string;
  debateId: string;
  deviceId: string;
  /** The removed person's name, so the instructor knows whom they let back in. */
  displayName: string;
  bannedAt: number;
}

export interface ClassroomStore {
  /** False when the email is already taken. */
  createAccount(account: Omit<AccountRecord, "createdAt">): Promise<boolean>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  findAccountByEmail(email: string): Promise<AccountRecord | undefined>;
  setAccountPassword(accountId: string, passwordHash: string): Promise<void>;
  createAccountSession(sessionId: string, accountId: string): Promise<void>;
  deleteAccountSession(sessionId: string): Promise<void>;
  /** Logs an account out everywhere but the given session (after a password change); returns the ended ids. */
  deleteOtherAccountSessions(accountId: string, keepSessionId: string): Promise<string[]>;
  /** Ends every account session created before `createdBefore` (server-side expiry); returns their ids. */
  deleteAccountSessionsCreatedBefore(createdBefore: number): Promise<string[]>;

  /** Records the browser (device cookie id) a participant joined from. */
  setSessionDevice(sessionId: string, deviceId: string): Promise<void>;
  listSessionDevices(debateId: string): Promise<{ sessionId: string; deviceId: string }[]>;
  /** Keeps a browser out of a debate (a removal); a second ban of the same browser is ignored. */
  banDevice(ban: Omit<BanRecord, "bannedAt">): Promise<void>;
  listBans(debateId: string): Promise<BanRecord[]>;
  /** Lets a removed browser back in; false when there was no such ban. */
  liftBan(debateId: string, banId: string): Promise<boolean>;
  isDeviceBanned(debateId: string, deviceId: string): Promise<boolean>;

  /** Gives every debate without an owner to this account; returns how many. */
  claimUnownedDebates(accountId: string): Promise<number>;
  listDebatesOwnedBy(accountId: string): Promise<DebateRecord[]>;
  findDebateByAudienceKey(audienceKey: string): Promise<DebateRecord | undefined>;
  updateDebateSettings(debateId: string, settings: DebateSettings): Promise<void>;
  setDebateCode(debateId: string, which: "student" | "judge" | "audience", value: string): Promise<void>;
  /** Removes the debate and everything that hangs off it (teams, papers, logs, snapshots, sessions, round). */
  deleteDebate(debateId: string): Promise<void>;

  /** The debate's students, judges and audience, in the order they joined. */
  listParticipants(debateId: string): Promise<ParticipantSession[]>;
  renameSession(sessionId: string, displayName: string): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
}

export interface JudgingSettings {
  /** The rubric judges score on (a built-in one, or a copy of the custom one when chosen). */
  rubric: Rubric;
  /** The rubric the instructor edited for this debate, whether chosen or not. */
  customRubric: Rubric | null;
  /** The judge whose vote breaks a tie. */
  chairSessionId: string | null;
  releaseStage: ReleaseStage;
}

export interface BallotRecord {
  judgeSessionId: string;
  debateId: string;
  status: BallotStatus;
  content: BallotContent;
  updatedAt: number;
  submittedAt: number | null;
}

export interface AudienceVoteRecord {
  sessionId: string;
  moment: AudienceMoment;
  debateId: string;
  teamId: string;
  votedAt: number;
}

/** Judging (server/store/sqlite-judging.ts). A removed judge's ballot goes with their session. */
export interface JudgingStore {
  getJudgingSettings(debateId: string): Promise<JudgingSettings | undefined>;
  saveJudgingSettings(debateId: string, settings: JudgingSettings): Promise<void>;
  /** Inserts or replaces the judge's one ballot. */
  saveBallot(ballot: BallotRecord): Promise<void>;
  getBallot(judgeSessionId: string): Promise<BallotRecord | undefined>;
  listBallots(debateId: string): Promise<BallotRecord[]>;
  /** One vote per audience session and moment; voting again replaces it. */
  saveAudienceVote(vote: AudienceVoteRecord): Promise<void>;
  listAudienceVotes(debateId: string): Promise<AudienceVoteRecord[]>;
}

/**
 * Everything the server persists. Async throughout so that a networked engine (PostgreSQL) can
 * implement the same contract; tests/integration/store-contract.test.ts runs against each engine.
 */
export interface Store extends ClassroomStore, RoundStore, JudgingStore {
  createDebate(input: NewDebate): Promise<void>;
  getDebate(debateId: string): Promise<DebateRecord | undefined>;
  findDebateByJoinCode(code: string): Promise<{ debate: DebateRecord; role: "student" | "judge" } | undefined>;
  listDebates(): Promise<DebateRecord[]>;
  listTeams(debateId: string): Promise<TeamRecord[]>;
  getTeam(teamId: string): Promise<TeamRecord | undefined>;

  /** Locks or unlocks a paper; `reason` says what locked it (cleared on unlock). */
  setPaperLocked(teamId: string, locked: boolean, reason?: string | null): Promise<void>;
  addPaperSnapshot(snapshot: PaperSnapshotRecord): Promise<void>;
  listPaperSnapshots(teamId: string): Promise<PaperSnapshotRecord[]>;
  getPaperSnapshot(snapshotId: string): Promise<PaperSnapshotRecord | undefined>;

  createSession(session: ParticipantSession): Promise<void>;
  /** A participant's session or an instructor's account session. */
  getSession(sessionId: string): Promise<SessionInfo | undefined>;
  setSessionTeam(sessionId: string, teamId: string): Promise<void>;

  /**
   * Appends one update to a document's log and adds what it did to its author's contribution
   * counts, in one transaction; resolves only once it is durable. Returns the update's sequence number.
   */
  appendUpdate(docId: string, update: Uint8Array, sessionId: string | null, effect?: EditCounts): Promise<number>;
  /** Per-student characters inserted and deleted in a document, per minute. */
  listContributions(docId: string): Promise<ContributionRecord[]>;
  loadDocument(docId: string): Promise<StoredDocument | undefined>;
  /** The scaffold update the server wrote when the paper was created; null for papers older than that record. */
  getPaperScaffold(docId: string): Promise<Uint8Array | null>;
  /** Replaces the snapshot and drops log entries up to `throughSeq`, atomically. */
  compactDocument(docId: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Documents whose log holds at least `minUpdates` updates not yet folded into their snapshot. */
  listDocumentsWithLongLogs(minUpdates: number): Promise<string[]>;
  /** Moves one log entry to the quarantine table, keeping its author and time, atomically. */
  quarantineUpdate(docId: string, seq: number, reason: string): Promise<void>;
  listQuarantinedUpdates(docId: string): Promise<QuarantinedUpdate[]>;
  /** Bytes of snapshot plus log of a document, without reading them; 0 when there is none. */
  storedDocumentBytes(docId: string): Promise<number>;

  getRound(debateId: string): Promise<RoundState | undefined>;

  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
