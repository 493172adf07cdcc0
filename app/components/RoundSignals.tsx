import { useEffect, useRef, useState } from "react";
import type { TeamView } from "../../shared/classroom/views";
import type { TimeSignal } from "../../shared/rounds/formats";
import { remainingMs } from "../../shared/rounds/round-clock";
import type { RoundSnapshot } from "../../shared/wire/events";
import { prepareBells, ringBells } from "../lib/bells";
import { crossedSignal, teamOfSide } from "../lib/round-view";

const CUE_MS = 4_000;
/** A crossing seen later than this (a sleeping laptop, a reconnect) is stale: no bell for it. */
const STALE_CROSSING_MS = 3_000;
/** Where the clock is shown; each place remembers its own mute switch (the projector may ring, the laptop not). */
export type SignalPlace = "room" | "control" | "projector";

export interface SignalState {
  /** The signal whose visual cue is showing, if any. */
  cue: TimeSignal | null;
  /** Text for the aria-live region: phase changes and signals, said once each. */
  announcement: string;
  muted: boolean;
  setMuted(muted: boolean): void;
}

/** Students' laptops stay quiet unless unmuted: a room of thirty bells drowns the speaker. */
const MUTED_BY_DEFAULT: Record<SignalPlace, boolean> = { room: true, control: false, projector: false };

function useMuted(place: SignalPlace): [boolean, (muted: boolean) => void] {
  const storageKey = `caucus.bells.${place}`;
  const [muted, setMutedState] = useState(MUTED_BY_DEFAULT[place]);
  useEffect(() => {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === "muted" || stored === "on") setMutedState(stored === "muted");
    prepareBells();
  }, [storageKey]);
  const setMuted = (next: boolean) => {
    setMutedState(next);
    window.localStorage.setItem(storageKey, next ? "muted" : "on");
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
  place: SignalPlace,
): SignalState {
  const [muted, setMuted] = useMuted(place);
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
    const signal = crossedSignal(format.phases[round.phaseIndex], last.remaining, remaining);
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
