import type { RevealPolicy, TeamMode } from "./classroom";
import type { Format } from "./formats";
import type { BallotStatus } from "./judging";
import type { JudgingServices } from "./judging-views";
import type { ReadingBlock } from "./reading";
import type { RoundPageServices } from "./round-views";
import type { Role, SessionInfo } from "./session";

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
  /** Headings, numbered paragraphs and lists of numbered items (shared/reading.ts). */
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

/** A refusal carries the HTTP status the page answers with and a message for the person. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | { ok: false; status: number; reason: string };

/** Who is asking, for throttling: the network address and the browser's client cookie. */
export interface ClientInfo {
  address: string;
  /** The browser's signed device id (server/auth/device-cookie.ts). */
  clientId: string;
}

/** What Remix loaders and actions may ask of the server (passed as the load context). Inputs are parsed with zod. */
export interface CaucusServices extends RoundPageServices, JudgingServices {
  signUp(fields: unknown, client: ClientInfo): Promise<Outcome<{ setCookie: string }>>;
  logIn(fields: unknown, client: ClientInfo): Promise<Outcome<{ setCookie: string }>>;
  logOut(session: SessionInfo | null): Promise<{ setCookie: string }>;
  changePassword(session: SessionInfo | null, fields: unknown): Promise<Outcome>;
  dashboard(session: SessionInfo | null): Promise<Outcome<{ view: DashboardView }>>;
  startFromEssay(session: SessionInfo | null): Promise<Outcome<{ debateId: string }>>;
  createCustomDebate(session: SessionInfo | null, fields: unknown): Promise<Outcome<{ debateId: string }>>;
  /** A returning participant of the same debate on the same browser gets their own session back. */
  join(
    session: SessionInfo | null,
    fields: unknown,
    client: ClientInfo,
  ): Promise<Outcome<{ debateId: string; role: Exclude<Role, "instructor">; setCookie: string | null }>>;
  /**
   * The audience link. A browser without a session gets an audience one; an instructor, or the
   * debate's own audience, keeps theirs. Any other session is replaced only when `replace` is true,
   * which only the confirm form's POST asks for: a link someone planted cannot end a session.
   */
  watch(
    session: SessionInfo | null,
    audienceKey: string,
    replace: boolean,
    client: ClientInfo,
  ): Promise<
    Outcome<
      | { debateId: string; setCookie: string | null; confirm: null }
      | {
          debateId: string;
          setCookie: null;
          confirm: { debateTitle: string; currentRole: SessionInfo["role"]; currentDebateId: string | null };
        }
    >
  >;
  roomView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: RoomView }>>;
  chooseTeam(session: SessionInfo | null, debateId: string, fields: unknown): Promise<Outcome>;
  controlView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: ControlView }>>;
  /** A control room command (rotate a code, change a setting, rename/move/remove a student, archive, delete). */
  control(session: SessionInfo | null, debateId: string, fields: unknown): Promise<Outcome<{ deleted: boolean }>>;
  /** Who wrote what in each paper; the debate's instructor only. */
  contributionsView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: ContributionsView }>>;
}

export type CaucusLoadContext = {
  session: SessionInfo | null;
  services: CaucusServices;
  client: ClientInfo;
};
