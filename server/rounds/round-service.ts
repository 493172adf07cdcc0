import type { Server as HttpServer } from "node:http";
import { type ServerOptions, type Socket, Server as SocketServer } from "socket.io";
import { notFound, type Outcome, refused } from "../../shared/outcome";
import { CLASSROOM_FORMAT, CUSTOM_FORMAT_PREFIX, type Format, findBuiltInFormat } from "../../shared/rounds/formats";
import { applyRoundCommand, describeCommand, INITIAL_ROUND_STATE, type RoundCommand } from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";
import type { SessionInfo } from "../../shared/session";
import {
  type ClientToServerEvents,
  clientClockSchema,
  commandRequestSchema,
  type InterServerEvents,
  RoundEvent,
  type RoundSnapshot,
  type ServerToClientEvents,
  subscribeRequestSchema,
} from "../../shared/wire/events";
import { CloseCode, CloseReason } from "../../shared/wire/protocol";
import { OUTDATED_CLIENT, ROUND_PROTOCOL_VERSION } from "../../shared/wire/round-events";
import { mayControlRound, mayOnDebate } from "../access";
import { crossSiteRefusal } from "../auth/cross-site";
import { Limit, REFUSED_ROUND_COMMANDS_PER_SESSION, type SharedLimits, spend } from "../auth/limits";
import { TokenBucket } from "../budget";
import { debateGuard } from "../guard";
import type { Logger } from "../logger";
import type { PaperService } from "../papers/paper-service";
import { type DebateRecord, StaleRoundError, type Store } from "../store/types";
import { applyPhasePapers } from "./phase-papers";

/** Largest socket.io packet accepted, and events per second one socket may send. */
const MAX_EVENT_BYTES = 16_384;
const EVENTS_PER_SECOND = 20;

interface SocketData {
  session: SessionInfo;
}

export type RoundSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RoundServer = SocketServer<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type AckEvent = {
  [Event in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[Event]> extends [unknown, unknown]
    ? Event
    : never;
}[keyof ClientToServerEvents];

/** A zod schema, classic or mini (the round requests are mini, decision 172): both parse alike. */
type RequestSchema<Request> = {
  safeParse(value: unknown): { success: true; data: Request } | { success: false };
};

/**
 * Every socket.io handler with an ack goes through here: the request is parsed with its schema,
 * and whatever the handler throws is logged and answered, so no store error becomes an unhandled
 * rejection (which would end the process) and no client waits for an ack that never comes.
 */
export function answer<Request, Answer extends Outcome>(
  logger: Logger,
  socket: RoundSocket,
  event: AckEvent,
  schema: RequestSchema<Request>,
  malformed: string,
  handle: (request: Request) => Promise<Answer>,
): void {
  socket.on(event, async (request: unknown, ack: unknown) => {
    if (typeof ack !== "function") return;
    const parsed = schema.safeParse(request);
    if (!parsed.success) return ack(refused(400, malformed));
    try {
      ack(await handle(parsed.data));
    } catch (error) {
      logger.error(`socket.io ${event} of ${socket.data.session.displayName} failed`, error);
      ack(refused(500, "The server could not do that; try again"));
    }
  });
}

/** The session as it is now: a student removed or an instructor logged out loses the socket at once. */
export async function currentSession(store: Pick<Store, "getSession">, socket: RoundSocket) {
  const session = await store.getSession(socket.data.session.id);
  if (!session) socket.disconnect(true);
  return session;
}

/** Tries of one command against rounds other nodes keep changing, before the command fails. */
const MAX_ROUND_ATTEMPTS = 5;

/** Another node stored a write of this round first: the attempt runs again on the state it left. */
async function retryStale(attempt: () => Promise<RoundOutcome>): Promise<RoundOutcome> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleRoundError) || tries >= MAX_ROUND_ATTEMPTS) throw error;
    }
  }
}

export interface RoundServiceOptions {
  store: Store;
  logger: Logger;
  papers: PaperService;
  sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined>;
  /** The server clock; tests may pass their own. */
  now?: () => number;
  /** socket.io's Redis adapter when several nodes run: a debate's room then spans them. */
  adapter?: ServerOptions["adapter"];
  /** Throttle counters in Redis when several nodes run. */
  sharedLimits?: SharedLimits | null;
  /** Called with each command's outcome (for /metrics). */
  onCommand?(outcome: "applied" | "refused" | "failed"): void;
}

export type RoundOutcome = Outcome<{ snapshot: RoundSnapshot }>;

export interface RoundService {
  /** Applies one command as `session`, audited, persisted, broadcast, with the phase's paper rules. */
  command(session: SessionInfo, debateId: string, command: RoundCommand): Promise<RoundOutcome>;
  /** Switches the debate to another format (built in or its own custom one); the round starts over. */
  changeFormat(session: SessionInfo, debateId: string, formatId: string): Promise<RoundOutcome>;
  formatOf(debate: DebateRecord): Promise<Format>;
  snapshot(debateId: string): Promise<RoundSnapshot | undefined>;
  /** Cuts every socket of a session at once (a student removed, a debate deleted). */
  disconnectSession(sessionId: string): void;
  /** Sessions following the debate's round right now (any page with the round bar, the judge room too). */
  followers(debateId: string): string[];
  /** Every debate someone on this node follows, with who (several nodes share this through Redis). */
  followedDebates(): Map<string, string[]>;
  /** socket.io clients connected to this node. */
  readonly socketCount: number;
  /** The socket.io server, for other channels on the same connection (the control room's, decision 171). */
  readonly io: RoundServer;
  close(): Promise<void>;
}

const DEBATE_ROOM_PREFIX = "debate:";
const debateRoom = (debateId: string) => `${DEBATE_ROOM_PREFIX}${debateId}`;

/**
 * The round control plane. The server is the only clock: it applies commands with its own time,
 * persists the result with an audit entry, then broadcasts it; clients render from the snapshot.
 */
export async function attachRoundService(httpServer: HttpServer, options: RoundServiceOptions): Promise<RoundService> {
  const { store, logger, papers } = options;
  const now = options.now ?? Date.now;
  const refusedEntries = new Limit(REFUSED_ROUND_COMMANDS_PER_SESSION, options.sharedLimits ?? null);
  const requireDebate = debateGuard(store);
  const io: RoundServer = new SocketServer<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      serveClient: false,
      destroyUpgrade: false,
      // Round requests are a few hundred bytes; engine.io's default (1 MB) would let one event cost a megabyte.
      maxHttpBufferSize: MAX_EVENT_BYTES,
      ...(options.adapter ? { adapter: options.adapter } : {}),
      allowRequest: (request, callback) => {
        const refusal = crossSiteRefusal(request);
        callback(refusal, refusal === null);
      },
    },
  );
  /** Commands for one debate run one at a time, so none reads a state another is replacing. */
  const queues = new Map<string, Promise<unknown>>();

  function serialized<T>(debateId: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(debateId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    queues.set(debateId, settled);
    settled.then(() => {
      if (queues.get(debateId) === settled) queues.delete(debateId);
    });
    return next;
  }

  async function formatOf(debate: DebateRecord): Promise<Format> {
    if (debate.formatId.startsWith(CUSTOM_FORMAT_PREFIX)) {
      const custom = await store.getCustomFormat(debate.formatId);
      if (custom && custom.debateId === debate.id) return custom.format;
    }
    return findBuiltInFormat(debate.formatId) ?? CLASSROOM_FORMAT;
  }

  async function loadRound(debateId: string) {
    const debate = await store.getDebate(debateId);
    if (!debate) return undefined;
    const format = await formatOf(debate);
    const versioned = await store.getVersionedRound(debateId);
    return { debate, format, round: versioned?.round ?? INITIAL_ROUND_STATE, version: versioned?.version ?? 0 };
  }

  const snapshotOf = (debateId: string, format: Format, round: RoundState): RoundSnapshot => ({
    debateId,
    format,
    round,
    serverNow: now(),
  });

  async function snapshot(debateId: string): Promise<RoundSnapshot | undefined> {
    const loaded = await loadRound(debateId);
    return loaded && snapshotOf(debateId, loaded.format, loaded.round);
  }

  async function applyPapersSafely(
    debateId: string,
    format: Format,
    round: RoundState,
    endedPhaseName: string,
    at: number,
  ): Promise<void> {
    try {
      await applyPhasePapers({ store, papers, logger }, debateId, format, round, endedPhaseName, at);
    } catch (error) {
      // The transition stands; the next one (or the next start) applies the rules again.
      logger.error(`Applying the paper rules of ${debateId} failed`, error);
    }
  }

  /**
   * One try at a command: computed from the round as stored, and stored only if no other node has
   * changed the round meanwhile (StaleRoundError otherwise, and nothing written).
   */
  async function tryCommand(session: SessionInfo, debateId: string, roundCommand: RoundCommand): Promise<RoundOutcome> {
    const loaded = await loadRound(debateId);
    if (!loaded) return notFound("debate");
    const { debate, format, round, version } = loaded;
    const at = now();
    const entry = {
      debateId,
      sessionId: session.id,
      actorName: session.displayName,
      command: roundCommand,
      phaseIndex: round.phaseIndex,
      serverTime: at,
    };
    if (!mayControlRound(session, debate)) {
      options.onCommand?.("refused");
      const reason = "Only this debate's instructor runs the round";
      // The log records what this debate's own people tried, a few a minute each; an outsider's
      // attempt, or a flood, is refused without writing a row (decision 086).
      const recorded =
        mayOnDebate(session, "follow-round", debate).allowed && (await spend([[refusedEntries, session.id]])).allowed;
      if (recorded) await store.commitRoundCommand({ ...entry, outcome: "refused", reason }, null);
      return refused(403, reason);
    }
    const applied = applyRoundCommand(round, roundCommand, format, at);
    if (!applied.ok) {
      options.onCommand?.("refused");
      await store.commitRoundCommand({ ...entry, outcome: "refused", reason: applied.reason }, null, version);
      return applied;
    }
    await store.commitRoundCommand({ ...entry, outcome: "applied", reason: null }, applied.state, version);
    options.onCommand?.("applied");
    const next = snapshotOf(debateId, format, applied.state);
    io.to(debateRoom(debateId)).emit(RoundEvent.state, next);
    logger.info(`Round ${debateId}: ${describeCommand(roundCommand, format)} by ${session.displayName}`);
    const endedPhase = format.phases[round.phaseIndex]?.name ?? "the phase";
    await applyPapersSafely(debateId, format, applied.state, endedPhase, at);
    return { ok: true, snapshot: next };
  }

  function command(session: SessionInfo, debateId: string, roundCommand: RoundCommand): Promise<RoundOutcome> {
    return serialized(debateId, () => retryStale(() => tryCommand(session, debateId, roundCommand)));
  }

  /** One try at a format change, stored only if no other node changed the round since it was read. */
  async function tryChangeFormat(session: SessionInfo, debateId: string, formatId: string): Promise<RoundOutcome> {
    const loaded = await loadRound(debateId);
    if (!loaded) return notFound("debate");
    if (!mayControlRound(session, loaded.debate)) {
      return refused(403, "Only this debate's instructor picks the format");
    }
    if (loaded.round.state === "running" || loaded.round.state === "paused") {
      return refused(409, "The round is under way: finish it or reset the phase before changing the format");
    }
    const custom = formatId.startsWith(CUSTOM_FORMAT_PREFIX) ? await store.getCustomFormat(formatId) : undefined;
    const format = custom?.debateId === debateId ? custom.format : findBuiltInFormat(formatId);
    if (!format) return notFound("format");
    await store.setDebateFormat(debateId, format.id, INITIAL_ROUND_STATE, loaded.version);
    const next = snapshotOf(debateId, format, INITIAL_ROUND_STATE);
    io.to(debateRoom(debateId)).emit(RoundEvent.state, next);
    logger.info(`Round ${debateId}: format ${format.name} chosen by ${session.displayName}`);
    const endedPhase = loaded.format.phases[loaded.round.phaseIndex]?.name ?? "the round";
    await applyPapersSafely(debateId, format, INITIAL_ROUND_STATE, endedPhase, now());
    return { ok: true, snapshot: next };
  }

  function changeFormat(session: SessionInfo, debateId: string, formatId: string): Promise<RoundOutcome> {
    return serialized(debateId, () => retryStale(() => tryChangeFormat(session, debateId, formatId)));
  }

  io.use((socket, next) => {
    if (socket.handshake.auth?.caucus !== ROUND_PROTOCOL_VERSION) {
      next(new Error(OUTDATED_CLIENT));
      return;
    }
    options.sessionFromCookie(socket.request.headers.cookie).then(
      (session) => {
        if (!session) {
          next(new Error(CloseReason[CloseCode.noSession]));
          return;
        }
        socket.data.session = session;
        next();
      },
      (error) => {
        logger.error("socket.io session lookup failed", error);
        next(new Error("The server could not check your session"));
      },
    );
  });

  io.on("connection", (socket: RoundSocket) => {
    // Clock pings and commands are a handful a second; a client far past that is dropped, not queued.
    const budget = new TokenBucket(EVENTS_PER_SECOND, EVENTS_PER_SECOND * 2);
    socket.use((_packet, next) => {
      if (budget.take(1)) return next();
      logger.info(`Disconnected a socket.io client of ${socket.data.session.displayName}: too many events`);
      socket.disconnect(true);
    });
    socket.on(RoundEvent.clockPing, (clientSentAt, ack) => {
      if (typeof ack !== "function" || !clientClockSchema.safeParse(clientSentAt).success) return;
      ack(now());
    });

    answer(
      logger,
      socket,
      RoundEvent.subscribe,
      subscribeRequestSchema,
      "Malformed subscribe request",
      async (request) => {
        const session = await currentSession(store, socket);
        if (!session) return refused(401, CloseReason[CloseCode.noSession]);
        const found = await requireDebate(session, request.debateId, "follow-round");
        if (!found.ok) return found;
        const current = await snapshot(request.debateId);
        if (!current) return notFound("debate");
        await socket.join(debateRoom(request.debateId));
        return { ok: true, snapshot: current };
      },
    );

    answer(logger, socket, RoundEvent.command, commandRequestSchema, "Malformed round command", async (request) => {
      const session = await currentSession(store, socket);
      if (!session) return refused(401, CloseReason[CloseCode.noSession]);
      return command(session, request.debateId, request.command).catch((error: unknown) => {
        options.onCommand?.("failed");
        throw error;
      });
    });
  });

  // A crash between saving a transition and applying its paper rules is repaired on start.
  for (const { debateId, round } of await store.listRounds()) {
    const loaded = await loadRound(debateId);
    if (!loaded) continue;
    const endedPhase = loaded.format.phases[Math.max(0, round.phaseIndex - 1)]?.name ?? "the phase";
    await applyPapersSafely(debateId, loaded.format, round, endedPhase, now());
  }

  function followers(debateId: string): string[] {
    const ids = new Set<string>();
    for (const socketId of io.sockets.adapter.rooms.get(debateRoom(debateId)) ?? []) {
      const id = io.sockets.sockets.get(socketId)?.data.session?.id;
      if (id) ids.add(id);
    }
    return [...ids];
  }

  return {
    disconnectSession(sessionId: string): void {
      for (const socket of io.sockets.sockets.values()) {
        if (socket.data.session?.id === sessionId) socket.disconnect(true);
      }
    },
    followers,
    followedDebates() {
      const followed = new Map<string, string[]>();
      for (const room of io.sockets.adapter.rooms.keys()) {
        if (room.startsWith(DEBATE_ROOM_PREFIX)) {
          const debateId = room.slice(DEBATE_ROOM_PREFIX.length);
          followed.set(debateId, followers(debateId));
        }
      }
      return followed;
    },
    command,
    changeFormat,
    formatOf,
    snapshot,
    get socketCount() {
      return io.engine.clientsCount;
    },
    io,
    close() {
      // Closing each transport (rather than disconnecting the socket) makes the client reconnect at once.
      for (const socket of io.sockets.sockets.values()) socket.conn.close();
      return new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
