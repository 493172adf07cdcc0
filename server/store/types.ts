import type { RoundState } from "../../shared/round";
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

/**
 * Everything the server persists. Async throughout so that a networked engine (PostgreSQL) can
 * implement the same contract; tests/integration/store-contract.test.ts runs against each engine.
 */
export interface Store {
  createDebate(input: NewDebate): Promise<void>;
  getDebate(debateId: string): Promise<DebateRecord | undefined>;
  findDebateByJoinCode(code: string): Promise<{ debate: DebateRecord; role: "student" | "judge" } | undefined>;
  findDebateByHostKey(hostKey: string): Promise<DebateRecord | undefined>;
  listDebates(): Promise<DebateRecord[]>;
  listTeams(debateId: string): Promise<TeamRecord[]>;
  getTeam(teamId: string): Promise<TeamRecord | undefined>;

  setPaperLocked(teamId: string, locked: boolean): Promise<void>;
  setRevealPolicy(debateId: string, policy: RevealPolicy): Promise<void>;
  addPaperSnapshot(snapshot: PaperSnapshotRecord): Promise<void>;
  listPaperSnapshots(teamId: string): Promise<PaperSnapshotRecord[]>;
  getPaperSnapshot(snapshotId: string): Promise<PaperSnapshotRecord | undefined>;

  createSession(session: SessionInfo): Promise<void>;
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
  /** Replaces the snapshot and drops log entries up to `throughSeq`, atomically. */
  compactDocument(docId: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;

  getRound(debateId: string): Promise<RoundState | undefined>;
  saveRound(debateId: string, round: RoundState): Promise<void>;

  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
