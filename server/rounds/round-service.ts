import type { Server as HttpServer } from "node:http";
import { type ServerOptions, type Socket, Server as SocketServer } from "socket.io";
import {
  type ClientToServerEvents,
  clientClockSchema,
  commandRequestSchema,
  RoundEvent,
  type RoundSnapshot,
  type ServerToClientEvents,
  subscribeRequestSchema,
} from "../../shared/events";
import { CLASSROOM_FORMAT, CUSTOM_FORMAT_PREFIX, type Format, findBuiltInFormat } from "../../shared/formats";
import { CloseCode, CloseReason } from "../../shared/protocol";
import {
  applyRoundCommand,
  describeCommand,
  INITIAL_ROUND_STATE,
  type RoundCommand,
  type RoundState,
} from "../../shared/round";
import type { SessionInfo } from "../../shared/session";
import { mayControlRound, mayOnDebate } from "../access";
import { crossSiteRefusal } from "../auth/cross-site";
import { Limit, REFUSED_ROUND_COMMANDS_PER_SESSION, type SharedLimits, spend } from "../auth/limits";
import { TokenBucket } from "../budget";
import type { Logger } from "../logger";
import type { PaperService } from "../papers";
import type { DebateRecord, Store } from "../store/types";
import { applyPhasePapers } from "./phase-papers";

/** Largest socket.io packet accepted, and events per second one socket may send. */
const MAX_EVENT_BYTES = 16_384;
const EVENTS_PER_SECOND = 20;

interface SocketData {
  session: SessionInfo;
}

type RoundSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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

export type RoundOutcome = { ok: true; snapshot: RoundSnapshot } | { ok: false; reason: string };

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
  /** socket.io clients connected to this node. */
  readonly socketCount: number;
  close(): Promise<void>;
}

const debateRoom = (debateId: string) => `debate:${debateId}`;

/**
 * The round control plane. The server is the only clock: it applies commands with its own time,
 * persists the result with an audit entry, then broadcasts it; clients render from the snapshot.
 */
export async function attachRoundService(httpServer: HttpServer, options: RoundServiceOptions): Promise<RoundService> {
  const { store, logger, papers } = options;
  const now = options.now ?? Date.now;
  const refusedEntries = new Limit(REFUSED_ROUND_COMMANDS_PER_SESSION, options.sharedLimits ?? null);
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
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
    const round = (await store.getRound(debateId)) ?? INITIAL_ROUND_STATE;
    return { debate, format, round };
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

  function command(session: SessionInfo, debateId: string, roundCommand: RoundCommand): Promise<RoundOutcome> {
    return serialized(debateId, async () => {
      const loaded = await loadRound(debateId);
      if (!loaded) return { ok: false, reason: "No such debate" };
      const { debate, format, round } = loaded;
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
        return { ok: false, reason };
      }
      const applied = applyRoundCommand(round, roundCommand, format, at);
      if (!applied.ok) {
        options.onCommand?.("refused");
        await store.commitRoundCommand({ ...entry, outcome: "refused", reason: applied.reason }, null);
        return applied;
      }
      await store.commitRoundCommand({ ...entry, outcome: "applied", reason: null }, applied.state);
      options.onCommand?.("applied");
      const next = snapshotOf(debateId, format, applied.state);
      io.to(debateRoom(debateId)).emit(RoundEvent.state, next);
      logger.info(`Round ${debateId}: ${describeCommand(roundCommand, format)} by ${session.displayName}`);
      const endedPhase = format.phases[round.phaseIndex]?.name ?? "the phase";
      await applyPapersSafely(debateId, format, applied.state, endedPhase, at);
      return { ok: true, snapshot: next };
    });
  }

  function changeFormat(session: SessionInfo, debateId: string, formatId: string): Promise<RoundOutcome> {
    return serialized(debateId, async () => {
      const loaded = await loadRound(debateId);
      if (!loaded) return { ok: false, reason: "No such debate" };
      if (!mayControlRound(session, loaded.debate)) {
        return { ok: false, reason: "Only this debate's instructor picks the format" };
      }
      if (loaded.round.state === "running" || loaded.round.state === "paused") {
        return { ok: false, reason: "The round is under way: finish it or reset the phase before changing the format" };
      }
      const custom = formatId.startsWith(CUSTOM_FORMAT_PREFIX) ? await store.getCustomFormat(formatId) : undefined;
      const format = custom?.debateId === debateId ? custom.format : findBuiltInFormat(formatId);
      if (!format) return { ok: false, reason: "No such format" };
      await store.setDebateFormat(debateId, format.id, INITIAL_ROUND_STATE);
      const next = snapshotOf(debateId, format, INITIAL_ROUND_STATE);
      io.to(debateRoom(debateId)).emit(RoundEvent.state, next);
      logger.info(`Round ${debateId}: format ${format.name} chosen by ${session.displayName}`);
      const endedPhase = loaded.format.phases[loaded.round.phaseIndex]?.name ?? "the round";
      await applyPapersSafely(debateId, format, INITIAL_ROUND_STATE, endedPhase, now());
      return { ok: true, snapshot: next };
    });
  }

  io.use((socket, next) => {
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

  /** The session as it is now: a student removed or an instructor logged out loses the socket at once. */
  async function currentSession(socket: RoundSocket): Promise<SessionInfo | undefined> {
    const session = await store.getSession(socket.data.session.id);
    if (!session) socket.disconnect(true);
    return session;
  }

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

    socket.on(RoundEvent.subscribe, async (request, ack) => {
      if (typeof ack !== "function") return;
      const parsed = subscribeRequestSchema.safeParse(request);
      if (!parsed.success) return ack({ ok: false, reason: "Malformed subscribe request" });
      const session = await currentSession(socket);
      if (!session) return ack({ ok: false, reason: CloseReason[CloseCode.noSession] });
      const debate = await store.getDebate(parsed.data.debateId);
      if (!debate) return ack({ ok: false, reason: "No such debate" });
      const decision = mayOnDebate(session, "follow-round", debate);
      if (!decision.allowed) return ack({ ok: false, reason: decision.reason });
      const current = await snapshot(parsed.data.debateId);
      if (!current) return ack({ ok: false, reason: "No such debate" });
      await socket.join(debateRoom(parsed.data.debateId));
      ack({ ok: true, snapshot: current });
    });

    socket.on(RoundEvent.command, async (request, ack) => {
      if (typeof ack !== "function") return;
      const parsed = commandRequestSchema.safeParse(request);
      if (!parsed.success) return ack({ ok: false, reason: "Malformed round command" });
      const { debateId, command: roundCommand } = parsed.data;
      const session = await currentSession(socket);
      if (!session) return ack({ ok: false, reason: CloseReason[CloseCode.noSession] });
      try {
        ack(await command(session, debateId, roundCommand));
      } catch (error) {
        options.onCommand?.("failed");
        logger.error(`Round command ${roundCommand.type} for ${debateId} failed`, error);
        ack({ ok: false, reason: "The server could not apply the command; try again" });
      }
    });
  });

  // A crash between saving a transition and applying its paper rules is repaired on start.
  for (const { debateId, round } of await store.listRounds()) {
    const loaded = await loadRound(debateId);
    if (!loaded) continue;
    const endedPhase = loaded.format.phases[Math.max(0, round.phaseIndex - 1)]?.name ?? "the phase";
    await applyPapersSafely(debateId, loaded.format, round, endedPhase, now());
  }

  return {
    disconnectSession(sessionId: string): void {
      for (const socket of io.sockets.sockets.values()) {
        if (socket.data.session?.id === sessionId) socket.disconnect(true);
      }
    },
    followers(debateId: string): string[] {
      const ids = new Set<string>();
      for (const socketId of io.sockets.adapter.rooms.get(debateRoom(debateId)) ?? []) {
        const id = io.sockets.sockets.get(socketId)?.data.session?.id;
        if (id) ids.add(id);
      }
      return [...ids];
    },
    command,
    changeFormat,
    formatOf,
    snapshot,
    get socketCount() {
      return io.engine.clientsCount;
    },
    close() {
      // Closing each transport (rather than disconnecting the socket) makes the client reconnect at once.
      for (const socket of io.sockets.sockets.values()) socket.conn.close();
      return new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
