import { z } from "zod";
import type { Format } from "./formats";

/**
 * The round clock as a state machine. Pure: the server applies commands with its own clock and
 * broadcasts the result; clients only render. Remaining time can go negative (overtime).
 */
export type RoundState =
  | { state: "idle"; phaseIndex: number; adjustmentMs: number }
  | {
      state: "running";
      phaseIndex: number;
      adjustmentMs: number;
      /** Server time at which the phase last started or resumed. */
      runningSince: number;
      /** Time already spent in this phase before `runningSince`. */
      elapsedBeforeMs: number;
    }
  | { state: "paused"; phaseIndex: number; adjustmentMs: number; elapsedMs: number }
  | { state: "finished"; phaseIndex: number; adjustmentMs: number };

export const roundStateSchema: z.ZodType<RoundState> = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("idle"),
    phaseIndex: z.number().int().nonnegative(),
    adjustmentMs: z.number().int(),
  }),
  z.object({
    state: z.literal("running"),
    phaseIndex: z.number().int().nonnegative(),
    adjustmentMs: z.number().int(),
    runningSince: z.number(),
    elapsedBeforeMs: z.number().nonnegative(),
  }),
  z.object({
    state: z.literal("paused"),
    phaseIndex: z.number().int().nonnegative(),
    adjustmentMs: z.number().int(),
    elapsedMs: z.number().nonnegative(),
  }),
  z.object({
    state: z.literal("finished"),
    phaseIndex: z.number().int().nonnegative(),
    adjustmentMs: z.number().int(),
  }),
]);

export const ADJUST_STEP_MS = 30_000;

export const roundCommandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start") }),
  z.object({ type: z.literal("pause") }),
  z.object({ type: z.literal("resume") }),
  z.object({ type: z.literal("next") }),
  z.object({ type: z.literal("previous") }),
  z.object({
    type: z.literal("adjust"),
    deltaMs: z
      .number()
      .int()
      .refine((delta) => delta !== 0 && Math.abs(delta) <= 60 * 60_000, "between −60 and +60 minutes, not 0"),
  }),
]);
export type RoundCommand = z.infer<typeof roundCommandSchema>;

export type RoundResult = { ok: true; state: RoundState } | { ok: false; reason: string };

export const INITIAL_ROUND_STATE: RoundState = { state: "idle", phaseIndex: 0, adjustmentMs: 0 };

export function elapsedMs(round: RoundState, now: number): number {
  switch (round.state) {
    case "idle":
      return 0;
    case "running":
      return round.elapsedBeforeMs + Math.max(0, now - round.runningSince);
    case "paused":
      return round.elapsedMs;
    case "finished":
      return 0;
  }
}

export function phaseLengthMs(round: RoundState, format: Format): number {
  const phase = format.phases[round.phaseIndex];
  return phase ? phase.durationMs + round.adjustmentMs : 0;
}

/** Milliseconds left in the current phase; negative in overtime. */
export function remainingMs(round: RoundState, format: Format, now: number): number {
  if (round.state === "finished") return 0;
  return phaseLengthMs(round, format) - elapsedMs(round, now);
}

const refuse = (reason: string): RoundResult => ({ ok: false, reason });

function enterPhase(phaseIndex: number): RoundState {
  return { state: "idle", phaseIndex, adjustmentMs: 0 };
}

export function applyRoundCommand(round: RoundState, command: RoundCommand, format: Format, now: number): RoundResult {
  const lastPhase = format.phases.length - 1;
  switch (command.type) {
    case "start":
      if (round.state !== "idle") return refuse(`Cannot start: the phase is ${round.state}`);
      return {
        ok: true,
        state: { ...round, state: "running", runningSince: now, elapsedBeforeMs: 0 },
      };
    case "pause":
      if (round.state !== "running") return refuse(`Cannot pause: the phase is ${round.state}`);
      return {
        ok: true,
        state: {
          state: "paused",
          phaseIndex: round.phaseIndex,
          adjustmentMs: round.adjustmentMs,
          elapsedMs: elapsedMs(round, now),
        },
      };
    case "resume":
      if (round.state !== "paused") return refuse(`Cannot resume: the phase is ${round.state}`);
      return {
        ok: true,
        state: {
          state: "running",
          phaseIndex: round.phaseIndex,
          adjustmentMs: round.adjustmentMs,
          runningSince: now,
          elapsedBeforeMs: round.elapsedMs,
        },
      };
    case "next":
      if (round.state === "finished") return refuse("The round is already finished");
      if (round.phaseIndex >= lastPhase) {
        return { ok: true, state: { state: "finished", phaseIndex: lastPhase, adjustmentMs: 0 } };
      }
      return { ok: true, state: enterPhase(round.phaseIndex + 1) };
    case "previous":
      if (round.state === "finished") return { ok: true, state: enterPhase(lastPhase) };
      if (round.phaseIndex === 0) return refuse("Already at the first phase");
      return { ok: true, state: enterPhase(round.phaseIndex - 1) };
    case "adjust": {
      if (round.state === "finished") return refuse("The round is finished");
      const adjustmentMs = round.adjustmentMs + command.deltaMs;
      const phase = format.phases[round.phaseIndex];
      if (!phase || phase.durationMs + adjustmentMs < 0) {
        return refuse("A phase cannot be shorter than zero");
      }
      return { ok: true, state: { ...round, adjustmentMs } };
    }
  }
}
