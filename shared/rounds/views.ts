import type { DebateSummary, TeamView } from "../classroom/views";
import type { Outcome } from "../outcome";
import type { SessionInfo } from "../session";
import type { Format } from "./formats";
import type { RoundStateName } from "./round-clock";

export interface FormatsView {
  debate: DebateSummary;
  currentFormatId: string;
  roundState: RoundStateName;
  teams: TeamView[];
  builtIn: Format[];
  custom: Format[];
}

export interface SnapshotSummary {
  id: string;
  name: string;
  team: TeamView;
  createdAt: number;
}

export interface SnapshotsView {
  debate: DebateSummary;
  snapshots: SnapshotSummary[];
}

export interface SnapshotView {
  debate: DebateSummary;
  snapshot: SnapshotSummary;
  /** The paper as it stood, one Yjs update, base64. */
  stateBase64: string;
}

export interface RoundLogEntry {
  serverTime: number;
  actorName: string;
  /** The command in words (describeCommand), e.g. "next" or "add 30 s". */
  command: string;
  /** The phase the round was in when the command arrived (1-based for people). */
  phaseNumber: number;
  outcome: "applied" | "refused";
  reason: string | null;
}

export interface RoundLogView {
  debate: DebateSummary;
  /** This page's entries, newest first. */
  entries: RoundLogEntry[];
  /** 1-based; page 1 is the newest. */
  page: number;
  pageCount: number;
}

/** Round log entries per page. */
export const ROUND_LOG_PAGE_SIZE = 100;

/** The pages of the rounds issue: format picker and editor, paper snapshots (server/rounds/round-pages.ts). */
export interface RoundPageServices {
  formatsView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: FormatsView }>>;
  /** Validates and stores an edited copy of a format; `input` is untrusted JSON from the browser. */
  saveCustomFormat(
    session: SessionInfo | null,
    debateId: string,
    input: unknown,
  ): Promise<Outcome<{ formatId: string }>>;
  chooseFormat(session: SessionInfo | null, debateId: string, formatId: string): Promise<Outcome>;
  snapshotsView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: SnapshotsView }>>;
  snapshotView(
    session: SessionInfo | null,
    debateId: string,
    snapshotId: string,
  ): Promise<Outcome<{ view: SnapshotView }>>;
  /** Round commands with who sent them and when, newest first, a page at a time; the debate's instructor only. */
  roundLogView(session: SessionInfo | null, debateId: string, page?: number): Promise<Outcome<{ view: RoundLogView }>>;
}
