import { useEffect, useState } from "react";
import type { TeamView } from "../../shared/classroom/views";
import { SIDE_COUNT } from "../../shared/rounds/format-limits";
import type { Phase, TimeSignal } from "../../shared/rounds/formats";
import { prepRemainingMs, remainingMs } from "../../shared/rounds/round-clock";
import type { RoundSnapshot } from "../../shared/wire/events";

/** Longest wait between renders while a clock runs, so prep clocks and bells stay on time too. */
const MAX_TICK_MS = 250;

export function formatClock(milliseconds: number): string {
  const overtime = milliseconds < 0;
  // Count down in whole seconds shown as the ceiling, so "0:00" appears only when time is up.
  const totalSeconds = overtime ? Math.floor(-milliseconds / 1000) : Math.ceil(milliseconds / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = String(totalSeconds % 60).padStart(2, "0");
  return `${overtime ? "+" : ""}${minutes}:${seconds}`;
}

export function formatDuration(milliseconds: number): string {
  const totalSeconds = Math.round(milliseconds / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/**
 * Server time for rendering, refreshed just after each second boundary of the phase clock (so the
 * display flips when the server's second does) and at least every 250 ms while anything runs.
 */
export function useServerTime(snapshot: RoundSnapshot | null, serverNow: () => number): number {
  const [now, setNow] = useState(serverNow);
  const ticking = snapshot !== null && (snapshot.round.state === "running" || snapshot.round.prep.running !== null);
  useEffect(() => {
    setNow(serverNow());
    if (!ticking || !snapshot) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = serverNow();
      setNow(current);
      const remaining = remainingMs(snapshot.round, snapshot.format, current);
      const toBoundary = (((remaining % 1000) + 1000) % 1000) + 1;
      timer = setTimeout(tick, Math.min(toBoundary, MAX_TICK_MS));
    };
    tick();
    return () => clearTimeout(timer);
  }, [snapshot, ticking, serverNow]);
  return now;
}

export interface PrepBankView {
  team: TeamView | null;
  label: string;
  remainingMs: number;
  running: boolean;
}

export interface RoundView {
  phase: Phase | null;
  phaseNumber: number;
  phaseCount: number;
  speaker: TeamView | null;
  next: Phase | null;
  remainingMs: number;
  finished: boolean;
  prepBanks: PrepBankView[];
}

export function teamOfSide(teams: readonly TeamView[], side: number | null): TeamView | null {
  return side === null ? null : (teams.find((team) => team.sideIndex === side) ?? null);
}

export function roundView(snapshot: RoundSnapshot, teams: readonly TeamView[], now: number): RoundView {
  const { format, round } = snapshot;
  const phase = format.phases[round.phaseIndex] ?? null;
  const finished = round.state === "finished";
  const prepBanks =
    format.prepTimeMs > 0
      ? Array.from({ length: SIDE_COUNT }, (_, side) => {
          const team = teamOfSide(teams, side);
          return {
            team,
            label: team?.name ?? format.sideLabels[side as 0 | 1],
            remainingMs: prepRemainingMs(round, format, side, now),
            running: round.prep.running?.side === side,
          };
        })
      : [];
  return {
    phase,
    phaseNumber: round.phaseIndex + 1,
    phaseCount: format.phases.length,
    speaker: phase ? teamOfSide(teams, phase.speakingSide) : null,
    next: finished ? null : (format.phases[round.phaseIndex + 1] ?? null),
    remainingMs: remainingMs(round, format, now),
    finished,
    prepBanks,
  };
}

/**
 * The signal to give when the phase clock went from `before` to `after` ms remaining: the last
 * one crossed, so a jump over several (time removed, a late render) rings once, not in a burst.
 */
export function crossedSignal(phase: Phase | undefined, before: number, after: number): TimeSignal | null {
  const crossed = phase?.signals.filter((signal) => before > signal.atRemainingMs && after <= signal.atRemainingMs);
  return (
    crossed?.reduce<TimeSignal | null>(
      (lowest, signal) => (lowest === null || signal.atRemainingMs < lowest.atRemainingMs ? signal : lowest),
      null,
    ) ?? null
  );
}
