import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, RoundSnapshot, ServerToClientEvents } from "../../shared/events";
import { RoundEvent } from "../../shared/events";
import type { RoundCommand } from "../../shared/round";

type RoundSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CLOCK_SAMPLES = 5;
const CLOCK_RESYNC_MS = 60_000;

/**
 * Estimates server time minus local time from a few ping round trips, keeping the sample with the
 * shortest round trip (its midpoint is the tightest bound on when the server read its clock).
 */
async function measureClockOffset(socket: RoundSocket): Promise<number> {
  let best: { roundTrip: number; offset: number } | null = null;
  for (let sample = 0; sample < CLOCK_SAMPLES; sample++) {
    const sentAt = Date.now();
    const serverNow = await socket.timeout(5000).emitWithAck(RoundEvent.clockPing, sentAt);
    const receivedAt = Date.now();
    const roundTrip = receivedAt - sentAt;
    if (!best || roundTrip < best.roundTrip) {
      best = { roundTrip, offset: serverNow - (sentAt + receivedAt) / 2 };
    }
  }
  return best?.offset ?? 0;
}

export interface RoundConnection {
  snapshot: RoundSnapshot | null;
  /** Server clock minus this device's clock, in ms. */
  clockOffsetMs: number;
  connected: boolean;
  error: string | null;
  send(command: RoundCommand): Promise<void>;
}

export function useRound(debateId: string): RoundConnection {
  const [snapshot, setSnapshot] = useState<RoundSnapshot | null>(null);
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const socketRef = useRef<RoundSocket | null>(null);

  useEffect(() => {
    const socket: RoundSocket = io({ transports: ["websocket"] });
    socketRef.current = socket;
    let resync: ReturnType<typeof setInterval> | undefined;

    const syncClock = () => {
      measureClockOffset(socket).then(setClockOffsetMs, () => undefined);
    };
    socket.on("connect", async () => {
      setConnected(true);
      setError(null);
      const result = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
      if (result.ok) setSnapshot(result.snapshot);
      else setError(result.reason);
      syncClock();
      clearInterval(resync);
      resync = setInterval(syncClock, CLOCK_RESYNC_MS);
    });
    socket.on("disconnect", () => setConnected(false));
    socket.on("connect_error", (cause) => setError(cause.message));
    socket.on(RoundEvent.state, (next) => {
      if (next.debateId === debateId) setSnapshot(next);
    });
    return () => {
      clearInterval(resync);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [debateId]);

  const send = useCallback(
    async (command: RoundCommand) => {
      const socket = socketRef.current;
      if (!socket) return;
      const result = await socket.emitWithAck(RoundEvent.command, { debateId, command });
      setError(result.ok ? null : result.reason);
    },
    [debateId],
  );

  return { snapshot, clockOffsetMs, connected, error, send };
}
