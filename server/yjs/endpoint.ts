import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { teamIdOfPaper } from "../../shared/documents";
import {
  type AccessNotice,
  CloseCode,
  CloseReason,
  PROTOCOL_PARAM,
  PROTOCOL_VERSION,
  YJS_PATH_PREFIX,
} from "../../shared/protocol";
import type { SessionInfo } from "../../shared/session";
import { paperAccess } from "../access";
import { crossSiteRefusal } from "../auth/cross-site";
import { publicName, publicNamer } from "../code-names";
import type { Logger } from "../logger";
import type { DebateRecord, Store, TeamRecord } from "../store/types";
import { DocumentNotFoundError, RoomRegistry } from "./registry";
import {
  type DocumentRoom,
  DocumentTooLargeError,
  MalformedMessageError,
  type RoomConnection,
  type RoomLimits,
} from "./room";

const HEARTBEAT_MS = 30_000;

export interface YjsEndpointOptions {
  store: Store;
  logger: Logger;
  maxMessageBytes: number;
  maxConnectionsPerDocument: number;
  roomLimits: RoomLimits;
  sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined>;
}

export interface YjsEndpoint {
  registry: RoomRegistry;
  /**
   * Re-decides the access rule of every open connection to a document, after its paper was locked,
   * revealed or a session changed: writers may become readers, readers may be cut off.
   */
  refreshAccess(docId: string): Promise<void>;
  /** Closes every /yjs connection of a session at once (log-out, password change, removal, expiry). */
  closeSession(sessionId: string): void;
  /** Who has a document open and when each last edited it; empty when it is not loaded. */
  presence(docId: string): Promise<{ sessionId: string; lastEditAt: number | null }[]>;
  close(): Promise<void>;
}

type Refusal = { ok: false; code: CloseCode; reason: string };
type Paper = { team: TeamRecord; debate: DebateRecord };
type Decision = { ok: true; notice: AccessNotice; presenceName: string } | Refusal;
type Admission =
  | { ok: true; session: SessionInfo; room: DocumentRoom; notice: AccessNotice; presenceName: string }
  | Refusal;

const refusal = (code: CloseCode, reason = CloseReason[code]): Refusal => ({ ok: false, code, reason });

/**
 * Serves `/yjs/<docId>` with the y-websocket wire protocol. The session and the access rule are
 * checked, and the document loaded from the store, before the first byte of sync is answered.
 */
export function attachYjsEndpoint(httpServer: Server, options: YjsEndpointOptions): YjsEndpoint {
  const { store, logger } = options;
  const registry = new RoomRegistry(store, logger, options.roomLimits);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const alive = new WeakSet<WebSocket>();
  const socketsOfSession = new Map<string, Set<WebSocket>>();

  /** The paper's team and debate, or undefined when the id names no paper. */
  async function loadPaper(docId: string): Promise<Paper | undefined> {
    const teamId = teamIdOfPaper(docId);
    const team = teamId ? await store.getTeam(teamId) : undefined;
    const debate = team ? await store.getDebate(team.debateId) : undefined;
    return team && debate ? { team, debate } : undefined;
  }

  function decide(session: SessionInfo | undefined, paper: Paper | undefined, presenceName: string): Decision {
    if (!session) return refusal(CloseCode.noSession);
    if (!paper) return refusal(CloseCode.documentNotFound);
    const decision = paperAccess(session, paper.debate, paper.team);
    if (decision.access === "none") return refusal(CloseCode.forbidden, decision.reason ?? undefined);
    return { ok: true, notice: { access: decision.access, reason: decision.reason }, presenceName };
  }

  async function admit(request: IncomingMessage, docId: string): Promise<Admission> {
    const crossSite = crossSiteRefusal(request);
    if (crossSite) return refusal(CloseCode.forbidden, crossSite);
    const session = await options.sessionFromCookie(request.headers.cookie);
    if (!session) return refusal(CloseCode.noSession);
    const paper = await loadPaper(docId);
    const decision = decide(session, paper, paper ? await publicName(store, session, paper.debate) : "");
    if (!decision.ok) return decision;
    try {
      const room = await registry.open(docId);
      // References include connections still being attached, so a burst cannot slip past the limit.
      if (room.references > options.maxConnectionsPerDocument) {
        registry.release(room);
        logger.info(`Refused a connection to ${docId}: ${options.maxConnectionsPerDocument} already open`);
        return refusal(CloseCode.tooManyConnections);
      }
      return { ok: true, session, notice: decision.notice, presenceName: decision.presenceName, room };
    } catch (error) {
      if (error instanceof DocumentNotFoundError) return refusal(CloseCode.documentNotFound);
      logger.error(`Loading ${docId} failed`, error);
      return refusal(CloseCode.loadFailed);
    }
  }

  async function refreshAccess(docId: string): Promise<void> {
    const room = await registry.peek(docId);
    if (!room) return;
    // The paper and the debate's roster are read once, whatever the number of connections.
    const paper = await loadPaper(docId);
    const nameOf = paper ? await publicNamer(store, paper.debate) : null;
    await Promise.all(
      [...room.connections.values()].map(async (connection) => {
        const session = await store.getSession(connection.session.id);
        const decision = decide(session, paper, session && nameOf ? nameOf(session) : "");
        if (!decision.ok) {
          connection.socket.close(decision.code, decision.reason);
          return;
        }
        if (session) connection.session = session;
        room.changeAccess(connection, decision.notice);
        room.changePresenceName(connection, decision.presenceName);
      }),
    );
  }

  function serve(socket: WebSocket, admission: Extract<Admission, { ok: true }>, extended: boolean): void {
    const { room } = admission;
    const connection: RoomConnection = {
      socket,
      session: admission.session,
      access: admission.notice.access,
      reason: admission.notice.reason,
      presenceName: admission.presenceName,
      extended,
      awarenessIds: new Set(),
      refusedUpdates: 0,
    };
    alive.add(socket);
    const ofSession = socketsOfSession.get(admission.session.id) ?? new Set<WebSocket>();
    ofSession.add(socket);
    socketsOfSession.set(admission.session.id, ofSession);
    socket.on("pong", () => alive.add(socket));
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        socket.close(CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        return;
      }
      room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).catch((error) => {
        if (error instanceof MalformedMessageError) {
          logger.info(`Closing a connection to ${room.docId}: ${error.message}`);
          socket.close(CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        } else if (error instanceof DocumentTooLargeError) {
          logger.info(`Refused an update: ${error.message}`);
          socket.close(CloseCode.documentTooLarge, CloseReason[CloseCode.documentTooLarge]);
        } else {
          logger.error(`Storing an update of ${room.docId} failed`, error);
          socket.close(CloseCode.loadFailed, "The server could not store your change; reconnecting");
        }
      });
    });
    socket.on("close", () => {
      ofSession.delete(socket);
      if (ofSession.size === 0 && socketsOfSession.get(admission.session.id) === ofSession)
        socketsOfSession.delete(admission.session.id);
      room.detach(socket);
      registry.release(room);
    });
    room.attach(connection);
  }

  function onUpgrade(request: IncomingMessage, rawSocket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(YJS_PATH_PREFIX)) return;
    let docId: string;
    try {
      docId = decodeURIComponent(url.pathname.slice(YJS_PATH_PREFIX.length));
    } catch {
      docId = "";
    }
    admit(request, docId).then(
      (admission) => {
        if (rawSocket.destroyed) {
          if (admission.ok) registry.release(admission.room);
          return;
        }
        sockets.handleUpgrade(request, rawSocket, head, (socket) => {
          // ws reports protocol violations (e.g. an oversize frame, closed with 1009) here; the socket closes.
          socket.on("error", (error) => logger.info(`A /yjs connection to ${docId} failed: ${error.message}`));
          if (admission.ok) serve(socket, admission, url.searchParams.get(PROTOCOL_PARAM) === String(PROTOCOL_VERSION));
          else socket.close(admission.code, admission.reason);
        });
      },
      (error) => {
        logger.error("Admitting a /yjs connection failed", error);
        rawSocket.destroy();
      },
    );
  }

  httpServer.on("upgrade", onUpgrade);
  const heartbeat = setInterval(() => {
    for (const socket of sockets.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    registry,
    refreshAccess,
    closeSession(sessionId) {
      for (const socket of socketsOfSession.get(sessionId) ?? []) {
        socket.close(CloseCode.noSession, "Your session has ended: log in or join again");
      }
    },
    async presence(docId) {
      return (await registry.peek(docId))?.presence() ?? [];
    },
    async close() {
      clearInterval(heartbeat);
      httpServer.off("upgrade", onUpgrade);
      const closed = [...sockets.clients].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once("close", () => resolve());
            socket.close(CloseCode.serverShuttingDown, CloseReason[CloseCode.serverShuttingDown]);
            setTimeout(() => {
              socket.terminate();
              resolve();
            }, 1000).unref();
          }),
      );
      await Promise.all(closed);
      await registry.settle();
      sockets.close();
    },
  };
}
