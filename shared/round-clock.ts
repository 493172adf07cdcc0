/**
 * The round clock's arithmetic, apart from the state machine and its schemas (shared/round.ts) so
 * that pages showing the clock do not carry zod: they only render what the server validated.
 */
import type { Format } from "./formats";
import type { PrepState, RoundState } from "./round";

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
