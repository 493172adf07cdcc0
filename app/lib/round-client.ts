import { useCallback, useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";
import {
  CLOCK_REFRESH_MS,
  ClockSync,
  INITIAL_CLOCK_SAMPLES,
  REFRESH_CLOCK_SAMPLES,
} from "../../shared/rounds/clock-sync";
import type { RoundCommand } from "../../shared/rounds/round";
import type { ClientToServerEvents, RoundSnapshot, ServerToClientEvents } from "../../shared/wire/events";
import { RoundEvent, roundHandshake } from "../../shared/wire/round-events";
import { readRoundSnapshot } from "../../shared/wire/round-snapshot";
import { io } from "./socket-io.client";

export type RoundSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const PING_TIMEOUT_MS = 5_000;
const UNREADABLE_SNAPSHOT = "The server sent a round state this page cannot read: reload the page.";

export interface RoundConnection {
  snapshot: RoundSnapshot | null;
  /** Server time now, as this device best knows it: its own clock plus the measured offset. */
  serverNow(): number;
  /** Half the width of the interval the clock offset is known to lie in, once measured. */
  clockUncertaintyMs: number | null;
  connected: boolean;
  /** The server cut this session off (removed, or its debate deleted): the page should reload its data. */
  ended: boolean;
  error: string | null;
  send(command: RoundCommand): Promise<boolean>;
  /** The page's one socket.io connection, for other channels on it (the control room's), once open. */
  socket: RoundSocket | null;
}

/**
 * The round as the server says it is. The socket reconnects by itself (after a server restart
 * too), subscribes again and re-measures the clock, so a page never needs a reload.
 */
export function useRound(debateId: string): RoundConnection {
  const [snapshot, setSnapshot] = useState<RoundSnapshot | null>(null);
  const [clockUncertaintyMs, setClockUncertaintyMs] = useState<number | null>(null);
  const [connected, setConnected] = useState(false);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [socket, setSocket] = useState<RoundSocket | null>(null);
  const socketRef = useRef<RoundSocket | null>(null);
  const clockRef = useRef<ClockSync | null>(null);

  useEffect(() => {
    const socket: RoundSocket = io({ transports: ["websocket"], auth: roundHandshake() });
    socketRef.current = socket;
    setSocket(socket);
    const clock = new ClockSync({
      now: Date.now,
      ping: (sentAt) => socket.timeout(PING_TIMEOUT_MS).emitWithAck(RoundEvent.clockPing, sentAt),
    });
    clockRef.current = clock;
    let refresh: ReturnType<typeof setInterval> | undefined;
    const measure = (samples: number) => {
      clock.sample(samples).then(
        (estimate) => setClockUncertaintyMs(estimate?.uncertaintyMs ?? null),
        // A lost ping is retried at the next refresh; the previous estimate stays in use.
        () => undefined,
      );
    };

    socket.on("connect", async () => {
      setConnected(true);
      setError(null);
      const result = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
      if (!result.ok) setError(result.reason);
      else {
        const first = readRoundSnapshot(result.snapshot);
        if (first) setSnapshot(first);
        else setError(UNREADABLE_SNAPSHOT);
      }
      measure(INITIAL_CLOCK_SAMPLES);
      clearInterval(refresh);
      refresh = setInterval(() => measure(REFRESH_CLOCK_SAMPLES), CLOCK_REFRESH_MS);
    });
    socket.on("disconnect", (reason) => {
      setConnected(false);
      clearInterval(refresh);
      if (reason === "io server disconnect") setEnded(true);
    });
    socket.on("connect_error", (cause) => setError(cause.message));
    socket.on(RoundEvent.state, (wire) => {
      const next = readRoundSnapshot(wire);
      if (!next) setError(UNREADABLE_SNAPSHOT);
      else if (next.debateId === debateId) setSnapshot(next);
    });
    // The browser knows at once when the network goes; the socket would notice only at its next ping.
    const goOffline = () => socket.disconnect();
    const goOnline = () => socket.connect();
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      clearInterval(refresh);
      socket.disconnect();
      socketRef.current = null;
      setSocket(null);
      clockRef.current = null;
    };
  }, [debateId]);

  const serverNow = useCallback(() => clockRef.current?.serverNow() ?? Date.now(), []);

  const send = useCallback(
    async (command: RoundCommand) => {
      const socket = socketRef.current;
      if (!socket) return false;
      const result = await socket.emitWithAck(RoundEvent.command, { debateId, command });
      setError(result.ok ? null : result.reason);
      return result.ok;
    },
    [debateId],
  );

  return { snapshot, serverNow, clockUncertaintyMs, connected, ended, error, send, socket };
}
