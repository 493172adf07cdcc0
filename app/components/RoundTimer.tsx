import { useRef } from "react";
import type { TeamView } from "../../shared/classroom/views";
import type { RoundSnapshot } from "../../shared/wire/events";
import { formatClock, roundView, useServerTime } from "../lib/round-view";
import { MuteSwitch, RoundAnnouncer, type SignalPlace, useRoundSignals } from "./RoundSignals";

const STATE_LABEL = { idle: "Ready", running: "Running", paused: "Paused", finished: "Finished" } as const;

export function SpeakerTag({ team }: { team: TeamView }) {
  return (
    <span className="speaker">
      <span className="side-swatch" style={{ background: team.color }} aria-hidden="true" />
      {team.name} speaks
    </span>
  );
}

/**
 * The round clock as a bar (student room) or a panel (control room). Renders from the server's
 * snapshot and the server time estimate; bells ring unless muted (by default, muted in the room).
 */
export function RoundTimer({
  round,
  teams,
  size = "bar",
  place = "room",
}: {
  round: { snapshot: RoundSnapshot | null; serverNow(): number; connected?: boolean };
  teams: TeamView[];
  size?: "bar" | "large";
  place?: SignalPlace;
}) {
  const { snapshot } = round;
  const ticking = useServerTime(snapshot, round.serverNow);
  // Cut off from the server, the bar cannot know whether the instructor paused or moved on: it
  // stops where it was and says so, rather than count on as if it knew.
  const lostAt = useRef<number | null>(null);
  const lost = round.connected === false && snapshot !== null;
  if (!lost) lostAt.current = null;
  else if (lostAt.current === null) lostAt.current = ticking;
  const now = lostAt.current ?? ticking;
  const signals = useRoundSignals(snapshot, teams, now, place);

  if (!snapshot) {
    return (
      <div className={`round-timer ${size}`}>
        <output className="phase" aria-label="Current phase" aria-live="off">
          Connecting to the round…
        </output>
        <span role="timer" aria-label="Time remaining" className="clock">
          –:––
        </span>
      </div>
    );
  }
  const view = roundView(snapshot, teams, now);
  const overtime = view.remainingMs < 0 && !view.finished;
  const state = snapshot.round.state;
  return (
    <div
      className={`round-timer ${size} state-${state}${overtime ? " overtime" : ""}${signals.cue ? " signalling" : ""}${lost ? " reconnecting" : ""}`}
      style={view.speaker ? { borderColor: view.speaker.color } : undefined}
    >
      <span className="phase-line">
        <output className="phase" aria-label="Current phase" aria-live="off">
          {view.finished ? "Round finished" : (view.phase?.name ?? "")}
        </output>
        {view.speaker && !view.finished ? <SpeakerTag team={view.speaker} /> : null}
      </span>
      <span className="round-state">{lost ? "Reconnecting…" : STATE_LABEL[state]}</span>
      <span role="timer" aria-label="Time remaining" className="clock">
        {view.finished ? "0:00" : formatClock(view.remainingMs)}
      </span>
      {overtime ? <span className="overtime-label">Overtime</span> : null}
      {signals.cue ? <span className="signal-cue">{signals.cue.label}</span> : null}
      {view.prepBanks.some((bank) => bank.running) ? (
        <span className="prep-running">
          {view.prepBanks
            .filter((bank) => bank.running)
            .map((bank) => `${bank.label} prep ${formatClock(bank.remainingMs)}`)
            .join(" · ")}
        </span>
      ) : null}
      <MuteSwitch signals={signals} />
      <RoundAnnouncer signals={signals} />
    </div>
  );
}
