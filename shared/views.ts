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
}

export interface ReadingView {
  title: string;
  credit: string;
  paragraphs: string[];
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
  me: { displayName: string; role: Role; color: string; teamId: string | null };
  teams: TeamView[];
  /** The papers this session may open, own team first. */
  papers: PaperView[];
}

export interface ControlView {
  debate: DebateSummary;
  studentCode: string;
  judgeCode: string;
  hostKey: string;
  teams: TeamView[];
}

export type JoinResult = { ok: true; debateId: string; setCookie: string } | { ok: false; reason: string };

/** What Remix loaders and actions may ask of the server (passed as the load context). */
export interface CaucusServices extends RoundPageServices {
  startFromEssay(instructorName: string): Promise<{ debateId: string; setCookie: string }>;
  join(code: string, displayName: string): Promise<JoinResult>;
  openControlRoomWithKey(hostKey: string): Promise<JoinResult>;
  roomView(session: SessionInfo, debateId: string): Promise<RoomView | null>;
  chooseTeam(session: SessionInfo, teamId: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  controlView(session: SessionInfo, debateId: string): Promise<ControlView | null>;
}

export type CaucusLoadContext = {
  session: SessionInfo | null;
  services: CaucusServices;
};
