import type { BallotStatus, ReleaseStage } from "../judging/rules";
import type { Format } from "../rounds/formats";
import type { Role } from "../session";
import type { ReadingBlock } from "./reading";
import type { RevealPolicy, TeamMode } from "./rules";

/** Plain data the server hands to pages. Pages never see store records directly. */

export interface TeamView {
  id: string;
  sideIndex: number;
  name: string;
  description: string;
  color: string;
  docId: string;
}

export interface DebateSummary {
  id: string;
  title: string;
  motion: string;
  formatId: string;
  archived: boolean;
}

export interface ReadingView {
  title: string;
  credit: string;
  /** Headings, numbered paragraphs and lists of numbered items (shared/classroom/reading.ts). */
  blocks: ReadingBlock[];
}

export interface PaperView {
  team: TeamView;
  access: "write" | "read";
  /** Why this session cannot write, when it cannot. */
  reason: string | null;
}

export interface RoomView {
  debate: DebateSummary;
  reading: ReadingView;
  me: {
    displayName: string;
    /** The name others see on this person's caret: their code name when the debate uses code names. */
    publicName: string;
    role: Role;
    color: string;
    teamId: string | null;
  };
  teamMode: TeamMode;
  teams: TeamView[];
  /** The papers this session may open, own team first. */
  papers: PaperView[];
}

export interface ParticipantView {
  sessionId: string;
  displayName: string;
  /** "Realpolitik · Speaker 2" for students on a team. */
  codeName: string | null;
  role: Exclude<Role, "instructor">;
  teamId: string | null;
  online: boolean;
  typing: boolean;
  /** A judge's ballot: null until they start one. Always null for students. */
  ballot: BallotStatus | null;
}

/** A paper's health for the instructor: its size against the limit, changes set aside, snapshots to restore. */
export interface PaperHealthView {
  teamId: string;
  /** What the paper holds, in bytes (an upper bound until its next compaction). */
  bytes: number;
  limitBytes: number;
  /** Stored changes that could not be loaded and were set aside (quarantined). */
  setAside: number;
  snapshots: { id: string; name: string }[];
}

export interface ControlView {
  debate: DebateSummary;
  studentCode: string;
  judgeCode: string;
  audienceKey: string;
  teamMode: TeamMode;
  revealPolicy: RevealPolicy;
  codeNames: boolean;
  teams: TeamView[];
  papers: PaperHealthView[];
  students: ParticipantView[];
  judges: ParticipantView[];
  audienceCount: number;
  /** What students and the audience may see of the results so far. */
  releaseStage: ReleaseStage;
  /** Groups of people the instructor should look at twice: one name twice, or several people on one browser. */
  doubts: { kind: "same-name" | "same-browser"; names: string[] }[];
  /** Browsers removed from this debate, kept out until the instructor lets them back. */
  removed: { banId: string; displayName: string; removedAt: number }[];
}

export interface ContributorView {
  sessionId: string;
  displayName: string;
  inserted: number;
  deleted: number;
  /** Characters inserted per minute, oldest first, aligned with `ContributionsView.minutes`. */
  insertedPerMinute: number[];
}

export interface ContributionsView {
  debate: DebateSummary;
  /** Start of each minute covered (ms since the epoch), from the first edit to the last. */
  minutes: number[];
  papers: { team: TeamView; contributors: ContributorView[] }[];
}

export interface DashboardView {
  account: { name: string; email: string };
  debates: (DebateSummary & { createdAt: number; studentCode: string; studentCount: number })[];
  formats: Pick<Format, "id" | "name">[];
  /** The ready essay debate's title, and this instructor's debates made from it (the one made at first start included). */
  essay: { title: string; copies: number };
}
