import type { ContributionsView, ControlView, DashboardView, RoomView } from "./classroom/views";
import type { JudgingServices } from "./judging/views";
import type { Outcome } from "./outcome";
import type { RoundPageServices } from "./rounds/views";
import type { Role, SessionInfo } from "./session";

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
