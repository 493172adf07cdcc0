import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { teamIdOfPaper } from "../../../shared/papers/documents";
import type { SessionInfo } from "../../../shared/session";
import {
  type AccessNotice,
  BudgetReason,
  CloseCode,
  CloseReason,
  PROTOCOL_PARAM,
  PROTOCOL_VERSION,
  SOCKET_IO_PATH_PREFIX,
  YJS_PATH_PREFIX,
} from "../../../shared/wire/protocol";
import { paperAccess } from "../../access";
import { crossSiteRefusal } from "../../auth/cross-site";
import { publicName, publicNamer } from "../../classroom/code-names";
import type { Logger } from "../../logger";
import type { DebateRecord, Store, TeamRecord } from "../../store/types";
import { DocumentNotFoundError, LoadBackoffError, RoomRegistry } from "./registry";
import type { DocumentRoom, RoomLimits } from "./room";
import type { RoomTransport } from "./transport";

const HEARTBEAT_MS = 30_000;
/** After a close frame, how long a peer gets to answer before its socket is cut. */
const CLOSE_GRACE_MS = 2000;
/** Upgrade paths other modules answer: socket.io's, and Vite's HMR (by its subprotocol) in development. */
/**
 * Upgrades waiting to be admitted. Past it an upgrade is answered 503 at once, which y-websocket
 * clients retry after their back-off. Each waiting one costs only its socket until its turn (and
 * at most the handshake deadline); answering hundreds of 503s within one read of the listening
 * socket held other papers' frames longer than letting them wait their turn.
 */
const MAX_WAITING_UPGRADES = 1024;
/**
 * Admitting an upgrade (session, paper and access lookups, the 101 answer, the first sync frames)
 * costs about a millisecond of CPU, more on a busy box. A burst of hundreds admitted in one
 * event-loop turn held every other paper's frames (and their group commit) for 200–360 ms, so
 * admissions run one after another for at most this long, then yield to the event loop
 * (decision 072).
 */
const ADMISSION_SLICE_MS = 2;
/**
 * Admissions waiting on the store at once. With SQLite an admission ends within its turn; with
 * PostgreSQL each waits on queries, and one paper that is slow to load must not hold every other
 * socket behind it.
 */
const MAX_ADMISSIONS_IN_FLIGHT = 8;

export interface YjsEndpointOptions {
  store: Store;
  logger: Logger;
  maxMessageBytes: number;
  maxConnectionsPerDocument: number;
  maxConnectionsPerSession: number;
  maxConnectionsPerAddress: number;
  handshakeTimeoutMs: number;
  /** Reverse proxies in front, as Express's `trust proxy`: which X-Forwarded-For entry is the client. */
  trustProxy: number;
  roomLimits: RoomLimits;
  sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined>;
  /** Called with a reason name each time a connection or an upgrade is refused (for /metrics). */
  onRefusal?(reason: string): void;
}

export interface YjsEndpoint {
  registry: RoomRegistry;
  /**
   * Re-decides the access rule of every open connection to a document, after its paper was locked,
   * revealed or a session changed: writers may become readers, readers may be cut off.
   */
  refreshAccess(docId: string): Promise<void>;
  /** The same for this node's connections only, when another node announced the change. */
  refreshLocalAccess(docId: string): Promise<void>;
  /** Closes every /yjs connection of a session at once (log-out, password change, removal, expiry). */
  closeSession(sessionId: string): void;
  /** Several nodes: told of each access change made here, to announce it to the other nodes. */
  onAccessChanged: ((docId: string) => void) | null;
  /** Who has a document open and when each last edited it; empty when it is not loaded. */
  presence(docId: string): Promise<{ sessionId: string; lastEditAt: number | null }[]>;
  /** What the paper holds (an upper bound until the next compaction) and its limit, in bytes. */
  size(docId: string): Promise<{ bytes: number; limit: number }>;
  /** Makes a paper's content equal to `state` as one stored change by `sessionId`; open editors follow. */
  restore(docId: string, state: Uint8Array, sessionId: string): Promise<void>;
  /** Open /yjs sockets on this node. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

type Refusal = { ok: false; code: CloseCode; reason: string };
type Paper = { team: TeamRecord; debate: DebateRecord };
type Decision = { ok: true; notice: AccessNotice; presenceName: string } | Refusal;
type Admission =
  | { ok: true; session: SessionInfo; room: DocumentRoom; notice: AccessNotice; presenceName: string }
  | Refusal;
interface WaitingUpgrade {
  request: IncomingMessage;
  rawSocket: Duplex;
  head: Buffer;
  docId: string;
  extended: boolean;
  deadline: NodeJS.Timeout;
}

const refusal = (code: CloseCode, reason = CloseReason[code]): Refusal => ({ ok: false, code, reason });

/** The client's address as Express computes it with `trust proxy` set to a hop count. */
function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const forwarded = trustProxy > 0 ? String(request.headers["x-forwarded-for"] ?? "").split(",") : [];
  const chain = [request.socket.remoteAddress ?? "unknown", ...forwarded.map((entry) => entry.trim()).reverse()];
  return chain[Math.min(trustProxy, chain.length - 1)] || "unknown";
}

/** The name of a close code, for the refusals counter: "tooManyConnections", or the number if unnamed. */
const closeCodeName = (code: number): string =>
  Object.entries(CloseCode).find(([, value]) => value === code)?.[0] ?? String(code);

function socketTransport(socket: WebSocket, onClose: (code: number) => void): RoomTransport {
  return {
    send: (message) => socket.send(message),
    close(code, reason) {
      onClose(code);
      socket.close(code, reason);
      // A peer that never answers the close frame (half-open, or not reading) is cut off.
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    },
    get isOpen() {
      return socket.readyState === socket.OPEN;
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    pauseReading: () => socket.pause(),
    resumeReading: () => socket.resume(),
  };
}

function answerHttp(rawSocket: Duplex, status: number, text: string): void {
  if (rawSocket.destroyed) return;
  rawSocket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  rawSocket.destroy();
}

/** Counts per key (session, address), forgetting keys at zero so the map stays as small as what is open. */
class Counter {
  private readonly counts = new Map<string, number>();
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  add(key: string): void {
    this.counts.set(key, this.get(key) + 1);
  }
  remove(key: string): void {
    const next = this.get(key) - 1;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
  }
}

/**
 * Serves `/yjs/<docId>` with the y-websocket wire protocol. The session and the access rule are
 * checked, and the document loaded from the store, before the first byte of sync is answered.
 */
export function attachYjsEndpoint(httpServer: Server, options: YjsEndpointOptions): YjsEndpoint {
  const { store, logger } = options;
  const countRefusal = (reason: string) => options.onRefusal?.(reason);
  const registry = new RoomRegistry(store, logger, options.roomLimits);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const alive = new WeakSet<WebSocket>();
  const socketsOfSession = new Map<string, Set<WebSocket>>();
  const perSession = new Counter();
  const perAddress = new Counter();
  const waitingUpgrades: WaitingUpgrade[] = [];
  let admitting = false;
  let admissionsInFlight = 0;

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
    if (perSession.get(session.id) >= options.maxConnectionsPerSession) {
      return refusal(CloseCode.tooManyConnections, BudgetReason.perSession);
    }
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
      // A failure within its back-off was logged when it happened; openers share it without a reload.
      if (!(error instanceof LoadBackoffError)) logger.error(`Loading ${docId} failed`, error);
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
          room.refuse(connection, decision.code, decision.reason);
          return;
        }
        if (session) connection.session = session;
        room.changeAccess(connection, decision.notice);
        room.changePresenceName(connection, decision.presenceName);
      }),
    );
  }

  function serve(socket: WebSocket, admission: Extract<Admission, { ok: true }>, extended: boolean): void {
    const { room, session } = admission;
    const fields = { connectionId: randomUUID(), docId: room.docId, sessionId: session.id };
    logger.info("Yjs connection opened", fields);
    perSession.add(session.id);
    const connection = room.attach({
      transport: socketTransport(socket, (code) => {
        if (code !== CloseCode.serverShuttingDown) countRefusal(closeCodeName(code));
      }),
      session,
      access: admission.notice.access,
      reason: admission.notice.reason,
      presenceName: admission.presenceName,
      extended,
    });
    alive.add(socket);
    const ofSession = socketsOfSession.get(session.id) ?? new Set<WebSocket>();
    ofSession.add(socket);
    socketsOfSession.set(session.id, ofSession);
    socket.on("pong", () => alive.add(socket));
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        room.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        return;
      }
      room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    socket.on("close", (code: number) => {
      logger.info("Yjs connection closed", { ...fields, code });
      perSession.remove(session.id);
      ofSession.delete(socket);
      if (ofSession.size === 0 && socketsOfSession.get(session.id) === ofSession) socketsOfSession.delete(session.id);
      room.detach(connection);
      registry.release(room);
    });
  }

  function onUpgrade(request: IncomingMessage, rawSocket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(YJS_PATH_PREFIX)) {
      const others =
        url.pathname.startsWith(SOCKET_IO_PATH_PREFIX) || /^vite/.test(request.headers["sec-websocket-protocol"] ?? "");
      // Nobody else will answer: say so at once instead of leaving the socket open until a timeout.
      if (!others) answerHttp(rawSocket, 404, "Not Found");
      return;
    }
    // Once handed to this handler the socket is ours; an error on it must not reach the process.
    rawSocket.on("error", () => rawSocket.destroy());
    const address = clientAddress(request, options.trustProxy);
    if (perAddress.get(address) >= options.maxConnectionsPerAddress) {
      logger.info(`Refused a /yjs upgrade from ${address}: ${options.maxConnectionsPerAddress} already open`);
      countRefusal("upgrade_per_address");
      answerHttp(rawSocket, 429, "Too Many Requests");
      return;
    }
    if (waitingUpgrades.length >= MAX_WAITING_UPGRADES) {
      countRefusal("upgrade_busy");
      answerHttp(rawSocket, 503, "Service Unavailable");
      return;
    }
    perAddress.add(address);
    rawSocket.once("close", () => perAddress.remove(address));
    let docId: string;
    try {
      docId = decodeURIComponent(url.pathname.slice(YJS_PATH_PREFIX.length));
    } catch {
      docId = "";
    }
    const deadline = setTimeout(() => answerHttp(rawSocket, 503, "Service Unavailable"), options.handshakeTimeoutMs);
    deadline.unref();
    const extended = url.searchParams.get(PROTOCOL_PARAM) === String(PROTOCOL_VERSION);
    waitingUpgrades.push({ request, rawSocket, head, docId, extended, deadline });
    scheduleAdmissions();
  }

  function scheduleAdmissions(): void {
    if (admitting || waitingUpgrades.length === 0 || admissionsInFlight >= MAX_ADMISSIONS_IN_FLIGHT) return;
    admitting = true;
    setImmediate(admitWaiting);
  }

  /** Admits waiting upgrades in order, for one slice of this event-loop turn; the next turn goes on. */
  async function admitWaiting(): Promise<void> {
    const sliceEnd = performance.now() + ADMISSION_SLICE_MS;
    while (
      waitingUpgrades.length > 0 &&
      admissionsInFlight < MAX_ADMISSIONS_IN_FLIGHT &&
      performance.now() < sliceEnd
    ) {
      admissionsInFlight++;
      const admitted = admitOne(waitingUpgrades.shift()!).finally(() => {
        admissionsInFlight--;
        scheduleAdmissions();
      });
      // A store that answers within the turn (SQLite) has finished the admission here; one that
      // waits on I/O (PostgreSQL, a large paper's first load) lets the next admission start.
      await Promise.race([admitted, new Promise((resolve) => setImmediate(resolve))]);
    }
    admitting = false;
    scheduleAdmissions();
  }

  async function admitOne({ request, rawSocket, head, docId, extended, deadline }: WaitingUpgrade): Promise<void> {
    // Past its deadline the socket was answered 503 and destroyed: nothing is looked up for it.
    if (rawSocket.destroyed) return;
    try {
      const admission = await admit(request, docId);
      clearTimeout(deadline);
      if (rawSocket.destroyed) {
        if (admission.ok) registry.release(admission.room);
        return;
      }
      sockets.handleUpgrade(request, rawSocket, head, (socket) => {
        // ws reports protocol violations (e.g. an oversize frame, closed with 1009) here; the socket closes.
        socket.on("error", (error) => logger.info(`A /yjs connection to ${docId} failed: ${error.message}`));
        if (admission.ok) serve(socket, admission, extended);
        else {
          countRefusal(closeCodeName(admission.code));
          socket.close(admission.code, admission.reason);
        }
      });
    } catch (error) {
      clearTimeout(deadline);
      logger.error("Admitting a /yjs connection failed", error);
      rawSocket.destroy();
    }
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

  const endpoint: YjsEndpoint = {
    registry,
    onAccessChanged: null,
    refreshAccess(docId) {
      endpoint.onAccessChanged?.(docId);
      return refreshAccess(docId);
    },
    refreshLocalAccess: refreshAccess,
    get connectionCount() {
      return sockets.clients.size;
    },
    closeSession(sessionId) {
      for (const socket of socketsOfSession.get(sessionId) ?? []) {
        socket.close(CloseCode.noSession, "Your session has ended: log in or join again");
      }
    },
    async presence(docId) {
      return (await registry.peek(docId))?.presence() ?? [];
    },
    async size(docId) {
      const room = await registry.peek(docId);
      const bytes = room ? room.sizeBytes : await store.storedDocumentBytes(docId);
      return { bytes, limit: options.roomLimits.maxDocumentBytes };
    },
    async restore(docId, state, sessionId) {
      const room = await registry.open(docId);
      try {
        await room.restore(state, sessionId);
      } finally {
        registry.release(room);
      }
    },
    async close() {
      clearInterval(heartbeat);
      httpServer.off("upgrade", onUpgrade);
      for (const waiting of waitingUpgrades.splice(0)) {
        clearTimeout(waiting.deadline);
        answerHttp(waiting.rawSocket, 503, "Service Unavailable");
      }
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
  return endpoint;
}
