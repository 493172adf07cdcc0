import type { TeamView } from "../../shared/views";
import type { RoundConnection } from "../lib/round-client";
import { formatClock, roundView, teamOfSide, useServerTime } from "../lib/round-view";
import { MuteSwitch, RoundAnnouncer, useRoundSignals } from "./RoundSignals";
import { SpeakerTag } from "./RoundTimer";

const STATE_LABEL = { idle: "Ready", running: "Running", paused: "Paused", finished: "Finished" } as const;

/** The classroom screen: read from the back of the room, so one giant clock and few words. */
export function ProjectorView({ round, teams, title }: { round: RoundConnection; teams: TeamView[]; title: string }) {
  const { snapshot } = round;
  const now = useServerTime(snapshot, round.serverNow);
  const signals = useRoundSignals(snapshot, teams, now, "projector");
  if (!snapshot) {
    return (
      <main className="projector">
        <p className="projector-phase">Connecting to the round…</p>
        <p role="timer" aria-label="Time remaining" className="projector-clock">
          –:––
        </p>
      </main>
    );
  }
  const view = roundView(snapshot, teams, now);
  const overtime = view.remainingMs < 0 && !view.finished;
  const nextSpeaker = view.next ? teamOfSide(teams, view.next.speakingSide) : null;
  return (
    <main
      className={`projector state-${snapshot.round.state}${overtime ? " overtime" : ""}${signals.cue ? " signalling" : ""}`}
      style={view.speaker && !view.finished ? { borderColor: view.speaker.color } : undefined}
    >
      <header className="projector-header">
        <h1>{title}</h1>
        <MuteSwitch signals={signals} />
      </header>
      <p className="projector-phase">
        <output aria-label="Current phase" aria-live="off">
          {view.finished ? "Round finished" : (view.phase?.name ?? "")}
        </output>
        <span className="projector-step">
          {" "}
          · phase {view.phaseNumber} of {view.phaseCount} · {STATE_LABEL[snapshot.round.state]}
        </span>
      </p>
      {view.speaker && !view.finished ? (
        <p className="projector-speaker">
          <SpeakerTag team={view.speaker} />
        </p>
      ) : null}
      <p role="timer" aria-label="Time remaining" className="projector-clock">
        {view.finished ? "0:00" : formatClock(view.remainingMs)}
      </p>
      <p className="projector-cue" aria-hidden={signals.cue ? undefined : true}>
        {signals.cue?.label ?? (overtime ? "Overtime" : " ")}
      </p>
      <footer className="projector-footer">
        <p className="projector-next">
          {view.next
            ? `Next: ${view.next.name}${nextSpeaker ? ` (${nextSpeaker.name})` : ""}`
            : view.finished
              ? ""
              : "Last phase"}
        </p>
        {view.prepBanks.length > 0 ? (
          <ul className="projector-prep" aria-label="Prep time">
            {view.prepBanks.map((bank) => (
              <li
                key={bank.label}
                className={bank.running ? "running" : undefined}
                style={bank.team ? { borderColor: bank.team.color } : undefined}
              >
                {bank.label} prep{bank.running ? " (running)" : ""}: {formatClock(bank.remainingMs)}
              </li>
            ))}
          </ul>
        ) : null}
      </footer>
      <RoundAnnouncer signals={signals} />
    </main>
  );
}
