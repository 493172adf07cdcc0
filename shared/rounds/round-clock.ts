/**
 * The round clock's arithmetic, apart from the state machine and its schemas (shared/rounds/round.ts) so
 * that pages showing the clock do not carry zod: they only render what the server validated.
 */
import type { Format } from "./formats";

/**
 * Prep time each team has used so far. Stored as time used, not time left, so the same state is
 * valid whatever bank size the format gives, and a bank drains only while its team's prep runs.
 */
export interface PrepState {
  usedMs: number[];
  /** The side whose prep clock runs, and since when (server time); null when no prep runs. */
  running: { side: number; since: number } | null;
}

/**
 * The round clock as a state machine. Pure: the server applies commands with its own clock and
 * broadcasts the result; clients only render. Remaining time goes negative in overtime.
 */
export type RoundState = (
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
  | { state: "finished"; phaseIndex: number; adjustmentMs: number }
) & { prep: PrepState };

export type RoundStateName = RoundState["state"];

export const ADJUST_STEP_MS = 30_000;
export const MAX_ADJUST_MS = 60 * 60_000;

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

export function prepUsedMs(prep: PrepState, side: number, now: number): number {
  const before = prep.usedMs[side] ?? 0;
  return prep.running?.side === side ? before + Math.max(0, now - prep.running.since) : before;
}

/** Prep time a side has left; negative once it has overrun its bank. */
export function prepRemainingMs(round: RoundState, format: Format, side: number, now: number): number {
  return format.prepTimeMs - prepUsedMs(round.prep, side, now);
}
