import type { Format } from "../../shared/formats";
import type { RoundCommand, RoundState } from "../../shared/round";
import type { SessionInfo } from "../../shared/session";

export type RevealPolicy = "never" | "after-lock" | "always";

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
  /** Secret that opens the control room, until instructor accounts exist. */
  hostKey: string;
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
}

/** An immutable copy of a paper taken when it was locked ("end of Drafting, 10:42:00"). */
export interface PaperSnapshotRecord {
  id: string;
  teamId: string;
  name: string;
  state: Uint8Array;
  createdAt: number;
}

export interface NewDebate {
  debate: Omit<DebateRecord, "createdAt" | "revealPolicy">;
  teams: TeamRecord[];
  /** First stored update of each team's paper (the scaffold), keyed by document id. */
  initialDocuments: Map<string, Uint8Array>;
}

/** A paper's stored state: the last compacted snapshot plus every update appended after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Sequence number of the last update included, 0 when the log is empty. */
  lastSeq: number;
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

/** What the round service persists beyond the round state itself (server/store/sqlite-rounds.ts). */
export interface RoundStore {
  /** Saves the new state of an applied command and its audit entry atomically; a refusal is only audited. */
  commitRoundCommand(entry: RoundAuditEntry, state: RoundState | null): Promise<void>;
  listRoundAudit(debateId: string): Promise<RoundAuditEntry[]>;
  listRounds(): Promise<{ debateId: string; round: RoundState }[]>;
  saveCustomFormat(debateId: string, format: Format): Promise<void>;
  getCustomFormat(formatId: string): Promise<{ debateId: string; format: Format } | undefined>;
  listCustomFormats(debateId: string): Promise<Format[]>;
  /** Switches a debate to another format and puts its round back to the start, atomically. */
  setDebateFormat(debateId: string, formatId: string, round: RoundState): Promise<void>;
}

/**
 * Everything the server persists. Async throughout so that a networked engine (PostgreSQL) can
 * implement the same contract; tests/integration/store-contract.test.ts runs against each engine.
 */
export interface Store extends RoundStore {
  createDebate(input: NewDebate): Promise<void>;
  getDebate(debateId: string): Promise<DebateRecord | undefined>;
  findDebateByJoinCode(code: string): Promise<{ debate: DebateRecord; role: "student" | "judge" } | undefined>;
  findDebateByHostKey(hostKey: string): Promise<DebateRecord | undefined>;
  listDebates(): Promise<DebateRecord[]>;
  listTeams(debateId: string): Promise<TeamRecord[]>;
  getTeam(teamId: string): Promise<TeamRecord | undefined>;

  setPaperLocked(teamId: string, locked: boolean): Promise<void>;
  addPaperSnapshot(snapshot: PaperSnapshotRecord): Promise<void>;
  listPaperSnapshots(teamId: string): Promise<PaperSnapshotRecord[]>;
  getPaperSnapshot(snapshotId: string): Promise<PaperSnapshotRecord | undefined>;

  createSession(session: SessionInfo): Promise<void>;
  getSession(sessionId: string): Promise<SessionInfo | undefined>;
  setSessionTeam(sessionId: string, teamId: string): Promise<void>;

  /** Appends one update to a document's log; resolves only once it is durable. */
  appendUpdate(docId: string, update: Uint8Array, sessionId: string | null): Promise<number>;
  loadDocument(docId: string): Promise<StoredDocument | undefined>;
  /** Replaces the snapshot and drops log entries up to `throughSeq`, atomically. */
  compactDocument(docId: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;

  getRound(debateId: string): Promise<RoundState | undefined>;

  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
