/**
 * What a room needs of a connection's channel. The ws socket is one (server/papers/yjs/endpoint.ts), an
 * in-memory pair another (tests/support/memory-transport.ts), so the room is tested without sockets.
 */
export interface RoomTransport {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
  /** Bytes sent but not yet taken by the peer; a slow reader is dropped past a bound. */
  readonly bufferedAmount: number;
  /** Stops reading frames from the peer (backpressure) until `resumeReading`. */
  pauseReading(): void;
  resumeReading(): void;
}
