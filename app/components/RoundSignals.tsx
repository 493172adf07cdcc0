import { useEffect, useRef, useState } from "react";
import type { RoundSnapshot } from "../../shared/events";
import type { TimeSignal } from "../../shared/formats";
import { remainingMs } from "../../shared/round";
import type { TeamView } from "../../shared/views";
import { prepareBells, ringBells } from "../lib/bells";
import { teamOfSide } from "../lib/round-view";

const CUE_MS = 4_000;
/** A crossing seen later than this (a sleeping laptop, a reconnect) is stale: no bell for it. */
const STALE_CROSSING_MS = 3_000;
const MUTE_KEY = "caucus.bells";

export interface SignalState {
  /** The signal whose visual cue is showing, if any. */
  cue: TimeSignal | null;
  /** Text for the aria-live region: phase changes and signals, said once each. */
  announcement: string;
  muted: boolean;
  setMuted(muted: boolean): void;
}

function useMuted(mutedByDefault: boolean): [boolean, (muted: boolean) => void] {
  const [muted, setMutedState] = useState(mutedByDefault);
  useEffect(() => {
    const stored = window.localStorage.getItem(MUTE_KEY);
    if (stored === "muted" || stored === "on") setMutedState(stored === "muted");
    prepareBells();
  }, []);
  const setMuted = (next: boolean) => {
    setMutedState(next);
    window.localStorage.setItem(MUTE_KEY, next ? "muted" : "on");
  };
  return [muted, setMuted];
}

function phaseAnnouncement(snapshot: RoundSnapshot, teams: readonly TeamView[]): string {
  if (snapshot.round.state === "finished") return "The round is finished.";
  const phase = snapshot.format.phases[snapshot.round.phaseIndex];
  if (!phase) return "";
  const speaker = teamOfSide(teams, phase.speakingSide);
  return `Now: ${phase.name}.${speaker ? ` ${speaker.name} speaks.` : ""}`;
}

/**
 * Watches the phase clock for the format's time signals: rings them (unless muted), shows a cue,
 * and announces them and every phase change to screen readers.
 */
export function useRoundSignals(
  snapshot: RoundSnapshot | null,
  teams: readonly TeamView[],
  now: number,
  mutedByDefault: boolean,
): SignalState {
  const [muted, setMuted] = useMuted(mutedByDefault);
  const [cue, setCue] = useState<{ signal: TimeSignal; until: number } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const previous = useRef<{ phaseKey: string; remaining: number; seenAt: number } | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    if (!snapshot) return;
    const { round, format } = snapshot;
    const phaseKey = `${format.id}:${round.phaseIndex}:${round.state === "finished"}`;
    const remaining = remainingMs(round, format, now);
    const last = previous.current;
    previous.current = { phaseKey, remaining, seenAt: Date.now() };
    if (!last) return;
    if (last.phaseKey !== phaseKey) {
      setAnnouncement(phaseAnnouncement(snapshot, teams));
      return;
    }
    if (round.state !== "running" || Date.now() - last.seenAt > STALE_CROSSING_MS) return;
    const phase = format.phases[round.phaseIndex];
    const crossed = phase?.signals.filter(
      (signal) => last.remaining > signal.atRemainingMs && remaining <= signal.atRemainingMs,
    );
    const signal = crossed?.at(-1);
    if (!signal) return;
    if (!mutedRef.current) ringBells(signal.bells);
    setCue({ signal, until: Date.now() + CUE_MS });
    setAnnouncement(signal.label);
  }, [snapshot, teams, now]);

  useEffect(() => {
    if (!cue) return;
    const timer = setTimeout(() => setCue(null), Math.max(0, cue.until - Date.now()));
    return () => clearTimeout(timer);
  }, [cue]);

  return { cue: cue?.signal ?? null, announcement, muted, setMuted };
}

export function MuteSwitch({ signals }: { signals: SignalState }) {
  return (
    <label className="mute-switch">
      <input type="checkbox" checked={signals.muted} onChange={(event) => signals.setMuted(event.target.checked)} />
      Mute bells
    </label>
  );
}

/** Polite live region: read out by screen readers without taking focus. */
export function RoundAnnouncer({ signals }: { signals: SignalState }) {
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true">
      {signals.announcement}
    </p>
  );
}
