import type { Server as HttpServer } from "node:http";
import { type Socket, Server as SocketServer } from "socket.io";
import {
  type ClientToServerEvents,
  clientClockSchema,
  commandRequestSchema,
  RoundEvent,
  type RoundSnapshot,
  type ServerToClientEvents,
  subscribeRequestSchema,
} from "../../shared/events";
import { CLASSROOM_FORMAT, findFormat } from "../../shared/formats";
import { CloseCode, CloseReason } from "../../shared/protocol";
import { applyRoundCommand, INITIAL_ROUND_STATE, type RoundState } from "../../shared/round";
import type { SessionInfo } from "../../shared/session";
import { mayControlRound, mayOnDebate } from "../access";
import { crossSiteRefusal } from "../auth/cross-site";
import type { Logger } from "../logger";
import type { Store } from "../store/types";

interface SocketData {
  session: SessionInfo;
}

type RoundSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RoundServiceOptions {
  store: Store;
  logger: Logger;
  sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined>;
}

const debateRoom = (debateId: string) => `debate:${debateId}`;

/**
 * The round control plane. The server is the only clock: it applies commands with its own time,
 * persists the result, then broadcasts it; clients render from the snapshot.
 */
export function attachRoundService(httpServer: HttpServer, options: RoundServiceOptions) {
  const { store, logger } = options;
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: false,
      destroyUpgrade: false,
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

  async function snapshotOf(debateId: string, round?: RoundState): Promise<RoundSnapshot | undefined> {
    const debate = await store.getDebate(debateId);
    if (!debate) return undefined;
    return {
      debateId,
      formatId: debate.formatId,
      round: round ?? (await store.getRound(debateId)) ?? INITIAL_ROUND_STATE,
      serverNow: Date.now(),
    };
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
    socket.on(RoundEvent.clockPing, (clientSentAt, ack) => {
      if (typeof ack !== "function" || !clientClockSchema.safeParse(clientSentAt).success) return;
      ack(Date.now());
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
      const snapshot = await snapshotOf(parsed.data.debateId);
      if (!snapshot) return ack({ ok: false, reason: "No such debate" });
      await socket.join(debateRoom(parsed.data.debateId));
      ack({ ok: true, snapshot });
    });

    socket.on(RoundEvent.command, async (request, ack) => {
      if (typeof ack !== "function") return;
      const parsed = commandRequestSchema.safeParse(request);
      if (!parsed.success) return ack({ ok: false, reason: "Malformed round command" });
      const { debateId, command } = parsed.data;
      const session = await currentSession(socket);
      if (!session) return ack({ ok: false, reason: CloseReason[CloseCode.noSession] });
      const owned = await store.getDebate(debateId);
      if (!owned || !mayControlRound(session, owned)) {
        return ack({ ok: false, reason: "Only this debate's instructor runs the round" });
      }
      try {
        const result = await serialized(debateId, async () => {
          const debate = await store.getDebate(debateId);
          if (!debate) return { ok: false as const, reason: "No such debate" };
          const format = findFormat(debate.formatId) ?? CLASSROOM_FORMAT;
          const current = (await store.getRound(debateId)) ?? INITIAL_ROUND_STATE;
          const applied = applyRoundCommand(current, command, format, Date.now());
          if (!applied.ok) return applied;
          await store.saveRound(debateId, applied.state);
          logger.info(`Round ${debateId}: ${command.type} by ${session.displayName} (${session.id})`);
          return { ok: true as const, snapshot: (await snapshotOf(debateId, applied.state))! };
        });
        if (!result.ok) return ack(result);
        io.to(debateRoom(debateId)).emit(RoundEvent.state, result.snapshot);
        ack(result);
      } catch (error) {
        logger.error(`Round command ${command.type} for ${debateId} failed`, error);
        ack({ ok: false, reason: "The server could not apply the command; try again" });
      }
    });
  });

  return {
    io,
    /** Cuts every socket of a session at once (a student removed, a debate deleted). */
    disconnectSession(sessionId: string): void {
      for (const socket of io.sockets.sockets.values()) {
        if (socket.data.session?.id === sessionId) socket.disconnect(true);
      }
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
