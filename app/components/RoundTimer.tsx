import { useEffect, useState } from "react";
import type { RoundSnapshot } from "../../shared/events";
import { CLASSROOM_FORMAT, findFormat } from "../../shared/formats";
import { remainingMs } from "../../shared/round";
import type { TeamView } from "../../shared/views";

const RENDER_INTERVAL_MS = 200;

export function formatClock(milliseconds: number): string {
  const overtime = milliseconds < 0;
  // Count down in whole seconds shown as the ceiling, so "0:00" appears only when time is up.
  const totalSeconds = overtime ? Math.floor(-milliseconds / 1000) : Math.ceil(milliseconds / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = String(totalSeconds % 60).padStart(2, "0");
  return `${overtime ? "+" : ""}${minutes}:${seconds}`;
}

const STATE_LABEL = { idle: "Ready", running: "Running", paused: "Paused", finished: "Finished" } as const;

export function RoundTimer({
  snapshot,
  clockOffsetMs,
  teams,
  size = "bar",
}: {
  snapshot: RoundSnapshot | null;
  clockOffsetMs: number;
  teams: TeamView[];
  size?: "bar" | "large";
}) {
  const [now, setNow] = useState(() => Date.now());
  const running = snapshot?.round.state === "running";
  useEffect(() => {
    setNow(Date.now());
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), RENDER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [running]);

  if (!snapshot) {
    return (
      <div className={`round-timer ${size}`}>
        <span role="status" aria-label="Current phase">
          Connecting to the round…
        </span>
        <span role="timer" aria-label="Time remaining" className="clock">
          –:––
        </span>
      </div>
    );
  }
  const format = findFormat(snapshot.formatId) ?? CLASSROOM_FORMAT;
  const phase = format.phases[snapshot.round.phaseIndex];
  const remaining = remainingMs(snapshot.round, format, now + clockOffsetMs);
  const speaker = phase?.speakingSide == null ? null : teams.find((team) => team.sideIndex === phase.speakingSide);
  const finished = snapshot.round.state === "finished";
  return (
    <div
      className={`round-timer ${size} state-${snapshot.round.state}${remaining < 0 ? " overtime" : ""}`}
      style={speaker ? { borderColor: speaker.color } : undefined}
    >
      <span className="phase">
        <span role="status" aria-label="Current phase">
          {finished ? "Round finished" : (phase?.name ?? "")}
        </span>
        {speaker ? <span className="speaker"> · {speaker.name} speaks</span> : null}
      </span>
      <span className="round-state">{STATE_LABEL[snapshot.round.state]}</span>
      <span role="timer" aria-label="Time remaining" className="clock">
        {finished ? "0:00" : formatClock(remaining)}
      </span>
      {remaining < 0 && !finished ? <span className="overtime-label">Overtime</span> : null}
    </div>
  );
}
