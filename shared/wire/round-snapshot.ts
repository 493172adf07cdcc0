import type { RoundSnapshot } from "./events";

/**
 * What a page checks of a round snapshot before rendering it. The server validated every part of
 * it at its own edge (commands and formats are parsed with zod there), and a page from another
 * release is refused at the socket.io handshake (`ROUND_PROTOCOL_VERSION`). So the browser checks
 * only what it reads to draw the clock, and carries no schema library (docs/decisions/177).
 */
/** Each state the clock can be in, with the times a page reads in it. */
const TIMES_OF_STATE: ReadonlyMap<unknown, readonly string[]> = new Map([
  ["idle", []],
  ["running", ["runningSince", "elapsedBeforeMs"]],
  ["paused", ["elapsedMs"]],
  ["finished", []],
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** A snapshot from the wire if it has what a page draws the round from; null if it does not. */
export function readRoundSnapshot(wire: unknown): RoundSnapshot | null {
  if (!isRecord(wire) || typeof wire.debateId !== "string" || !isFiniteNumber(wire.serverNow)) return null;
  const { format, round } = wire;
  if (!isRecord(format) || !Array.isArray(format.phases) || format.phases.length === 0) return null;
  const readablePhase = (phase: unknown) =>
    isRecord(phase) &&
    typeof phase.name === "string" &&
    isFiniteNumber(phase.durationMs) &&
    Array.isArray(phase.signals);
  if (!format.phases.every(readablePhase)) return null;
  if (!Array.isArray(format.sideLabels) || format.sideLabels.length !== 2) return null;
  const times = isRecord(round) ? TIMES_OF_STATE.get(round.state) : undefined;
  if (!isRecord(round) || !times?.every((time) => isFiniteNumber(round[time]))) return null;
  if (!Number.isInteger(round.phaseIndex) || (round.phaseIndex as number) >= format.phases.length) return null;
  if (!isFiniteNumber(round.adjustmentMs) || !isRecord(round.prep) || !Array.isArray(round.prep.usedMs)) return null;
  return wire as unknown as RoundSnapshot;
}
