import { watchRequestSchema } from "../../shared/classroom/control-events";
import type { ControlView } from "../../shared/classroom/views";
import { type Outcome, refused } from "../../shared/outcome";
import type { SessionInfo } from "../../shared/session";
import { ControlEvent } from "../../shared/wire/events";
import { CloseCode, CloseReason } from "../../shared/wire/protocol";
import type { Logger } from "../logger";
import { answer, currentSession, type RoundServer } from "../rounds/round-service";
import type { Store } from "../store/types";

/**
 * How often this node recomputes the control view of each debate an instructor watches here, and
 * pushes it if it changed: presence (who is online or typing, on any node), paper sizes and changes
 * set aside change without a service call, so they arrive at most this late.
 */
export const CONTROL_SWEEP_MS = 1_000;

const CONTROL_ROOM_PREFIX = "control:";
const controlRoom = (debateId: string) => `${CONTROL_ROOM_PREFIX}${debateId}`;

export interface ControlChannelOptions {
  io: RoundServer;
  store: Pick<Store, "getSession">;
  logger: Logger;
  /** The guarded control view (requireDebate with "manage"): only the debate's instructor gets one. */
  controlView(session: SessionInfo, debateId: string): Promise<Outcome<{ view: ControlView }>>;
  /** Several nodes share socket.io through Redis: a change made on one is announced to the others. */
  acrossNodes: boolean;
  sweepMs?: number;
}

export interface ControlChannel {
  /** Something a debate's control room shows changed: its watchers, on every node, get the new view now. */
  changed(debateId: string): void;
  close(): void;
}

/**
 * The control room's live channel (decision 171). Each node pushes to the instructor sockets
 * connected to it, and only to them: it computes one view per watched debate, compares it with the
 * one it last sent, and sends it only when it differs. A service call on any node triggers a push at
 * once; a sweep every CONTROL_SWEEP_MS catches what changes without one.
 */
export function attachControlChannel(options: ControlChannelOptions): ControlChannel {
  const { io, store, logger } = options;
  /** Per watched debate, the JSON of the view this node last pushed. */
  const lastSent = new Map<string, string>();
  /** Per debate with a push under way, whether another was asked for meanwhile. */
  const pushing = new Map<string, { again: boolean }>();
  /** Set when the server shuts down: no push starts against a store about to close. */
  let closed = false;

  function watcherSession(debateId: string): SessionInfo | undefined {
    for (const socketId of io.sockets.adapter.rooms.get(controlRoom(debateId)) ?? []) {
      const session = io.sockets.sockets.get(socketId)?.data.session;
      if (session) return session;
    }
    return undefined;
  }

  async function pushOnce(debateId: string): Promise<void> {
    const session = watcherSession(debateId);
    if (!session) {
      lastSent.delete(debateId);
      return;
    }
    // Every push goes through the guard again: a deleted debate stops its pushes.
    const answered = await options.controlView(session, debateId);
    if (!answered.ok) {
      io.local.in(controlRoom(debateId)).socketsLeave(controlRoom(debateId));
      lastSent.delete(debateId);
      return;
    }
    const text = JSON.stringify(answered.view);
    if (lastSent.get(debateId) === text) return;
    lastSent.set(debateId, text);
    io.local.to(controlRoom(debateId)).emit(ControlEvent.view, { debateId, view: answered.view });
  }

  /** At most one push per debate at a time; asks made during one are folded into a single next one. */
  function push(debateId: string): void {
    if (closed) return;
    const running = pushing.get(debateId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    pushing.set(debateId, state);
    void (async () => {
      do {
        state.again = false;
        await pushOnce(debateId);
      } while (state.again);
    })()
      .catch((error: unknown) => logger.error(`Pushing the control room of ${debateId} failed`, error))
      .finally(() => pushing.delete(debateId));
  }

  io.on("connection", (socket) => {
    answer(
      logger,
      socket,
      ControlEvent.watch,
      watchRequestSchema,
      "Malformed control room request",
      async (request) => {
        const session = await currentSession(store, socket);
        if (!session) return refused(401, CloseReason[CloseCode.noSession]);
        const answered = await options.controlView(session, request.debateId);
        if (!answered.ok) return answered;
        const room = controlRoom(request.debateId);
        // The first watcher here starts the comparisons from what it was just sent; sockets already
        // watching may hold an older view than that, so the next sweep sends the current one to all.
        if (io.sockets.adapter.rooms.has(room)) lastSent.delete(request.debateId);
        else lastSent.set(request.debateId, JSON.stringify(answered.view));
        await socket.join(room);
        return { ok: true, view: answered.view };
      },
    );
  });
  io.on(ControlEvent.changed, (debateId) => {
    if (typeof debateId === "string") push(debateId);
  });

  const sweep = setInterval(() => {
    for (const room of io.sockets.adapter.rooms.keys()) {
      if (room.startsWith(CONTROL_ROOM_PREFIX)) push(room.slice(CONTROL_ROOM_PREFIX.length));
    }
    for (const debateId of lastSent.keys())
      if (!io.sockets.adapter.rooms.has(controlRoom(debateId))) lastSent.delete(debateId);
  }, options.sweepMs ?? CONTROL_SWEEP_MS);
  sweep.unref();

  return {
    changed(debateId) {
      push(debateId);
      if (options.acrossNodes) io.serverSideEmit(ControlEvent.changed, debateId);
    },
    close() {
      closed = true;
      clearInterval(sweep);
    },
  };
}
