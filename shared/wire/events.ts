import * as z from "zod/mini";
import type { ControlPush, ControlWatchAnswer } from "../classroom/control-events";
import type { Outcome } from "../outcome";
import type { Format } from "../rounds/formats";
import { type RoundCommand, roundCommandSchema } from "../rounds/round";
import type { RoundState } from "../rounds/round-clock";
import { ControlEvent, RoundEvent } from "./round-events";

export { ControlEvent, RoundEvent };

export interface RoundSnapshot {
  debateId: string;
  /** The debate's format, sent whole so clients can render custom formats they have never seen. */
  format: Format;
  round: RoundState;
  /** Server clock when this snapshot was sent, for clients without a clock estimate yet. */
  serverNow: number;
}

export interface ServerToClientEvents {
  [RoundEvent.state]: (snapshot: RoundSnapshot) => void;
  [ControlEvent.view]: (push: ControlPush) => void;
}

export interface ClientToServerEvents {
  [RoundEvent.subscribe]: (
    request: { debateId: string },
    ack: (result: Outcome<{ snapshot: RoundSnapshot }>) => void,
  ) => void;
  [RoundEvent.command]: (
    request: { debateId: string; command: RoundCommand },
    ack: (result: Outcome<{ snapshot: RoundSnapshot }>) => void,
  ) => void;
  [RoundEvent.clockPing]: (clientSentAt: number, ack: (serverNow: number) => void) => void;
  [ControlEvent.watch]: (request: { debateId: string }, ack: (result: ControlWatchAnswer) => void) => void;
}

/** Events nodes send each other through socket.io's Redis adapter. */
export interface InterServerEvents {
  [ControlEvent.changed]: (debateId: string) => void;
}

export const debateIdSchema = z.string().check(z.minLength(1), z.maxLength(64));
export const subscribeRequestSchema = z.object({ debateId: debateIdSchema });
export const commandRequestSchema = z.object({ debateId: debateIdSchema, command: roundCommandSchema });
export const clientClockSchema = z.number();
