import { Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { TeamView } from "../../shared/classroom/views";
import type { RoundCommand } from "../../shared/rounds/round";
import { ADJUST_STEP_MS } from "../../shared/rounds/round-clock";
import type { RoundConnection } from "../lib/round-client";
import { formatClock, formatDuration, roundView, teamOfSide, useServerTime } from "../lib/round-view";
import { RoundTimer } from "./RoundTimer";

/** Keys the control room answers to when focus is not in a field: space, and the arrows. */
function keyCommand(key: string, state: string | undefined): RoundCommand | null {
  switch (key) {
    case " ":
      if (state === "running") return { type: "pause" };
      if (state === "paused") return { type: "resume" };
      return state === "idle" ? { type: "start" } : null;
    case "ArrowRight":
      return { type: "next" };
    case "ArrowLeft":
      return { type: "previous" };
    case "ArrowUp":
      return { type: "adjust", deltaMs: ADJUST_STEP_MS };
    case "ArrowDown":
      return { type: "adjust", deltaMs: -ADJUST_STEP_MS };
    default:
      return null;
  }
}

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName);
}

function useRoundKeys(round: RoundConnection): void {
  const latest = useRef(round);
  latest.current = round;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || typingInField(event.target)) return;
      // A focused button already answers space with a click of its own.
      if (event.key === " " && event.target instanceof HTMLButtonElement) return;
      const command = keyCommand(event.key, latest.current.snapshot?.round.state);
      if (!command || !latest.current.connected) return;
      event.preventDefault();
      void latest.current.send(command);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/**
 * A click on a phase asks before it jumps: a jump starts that phase over from its full time and
 * cannot be undone, and the cards sit where a stray click lands.
 */
function PhaseTimeline({ round, teams }: { round: RoundConnection; teams: TeamView[] }) {
  const snapshot = round.snapshot;
  const [pending, setPending] = useState<number | null>(null);
  const phaseIndex = snapshot?.round.phaseIndex;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a phase change from anywhere drops a question about the old position
  useEffect(() => setPending(null), [phaseIndex]);
  if (!snapshot) return null;
  const { format, round: state } = snapshot;
  return (
    <nav className="timeline" aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">
        {format.name}: {format.phases.length} phases
      </h3>
      <ol>
        {format.phases.map((phase, index) => {
          const current = index === state.phaseIndex && state.state !== "finished";
          const speaker = teamOfSide(teams, phase.speakingSide);
          const done = index < state.phaseIndex || state.state === "finished";
          return (
            <li
              key={phase.id}
              className={`${current ? "current" : ""}${done ? " done" : ""}`}
              aria-current={current ? "step" : undefined}
              style={speaker ? { borderColor: speaker.color } : undefined}
            >
              <button
                type="button"
                className="timeline-phase"
                disabled={!round.connected || current}
                onClick={() => setPending(index)}
                aria-expanded={pending === index}
                aria-label={`Go to ${phase.name}`}
              >
                <span className="timeline-name">{phase.name}</span>
                <span className="timeline-detail">
                  {formatDuration(phase.durationMs)}
                  {speaker ? ` · ${speaker.name}` : ""}
                  {phase.papers.kind === "all-open" ? " · papers open" : ""}
                </span>
              </button>
              {pending === index ? (
                <div className="timeline-confirm">
                  <span>Start {phase.name} from its full time?</span>
                  <button
                    type="button"
                    disabled={!round.connected}
                    onClick={() => {
                      setPending(null);
                      void round.send({ type: "jump", phaseIndex: index });
                    }}
                  >
                    Jump to {phase.name}
                  </button>
                  <button type="button" className="secondary" onClick={() => setPending(null)}>
                    Cancel
                  </button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function PrepBanks({ round, teams }: { round: RoundConnection; teams: TeamView[] }) {
  const now = useServerTime(round.snapshot, round.serverNow);
  if (!round.snapshot) return null;
  const banks = roundView(round.snapshot, teams, now).prepBanks;
  if (banks.length === 0) return null;
  const speechRunning = round.snapshot.round.state === "running";
  return (
    <section className="prep-banks" aria-labelledby="prep-heading">
      <h3 id="prep-heading">Prep time</h3>
      <ul>
        {banks.map((bank, side) => (
          <li key={bank.label} style={bank.team ? { borderColor: bank.team.color } : undefined}>
            <button
              type="button"
              aria-pressed={bank.running}
              // Running, the button takes its own team's colour (not a colour another team might have).
              style={
                bank.running && bank.team ? { background: bank.team.color, borderColor: bank.team.color } : undefined
              }
              disabled={!round.connected || speechRunning || (!bank.running && bank.remainingMs <= 0)}
              onClick={() => round.send(bank.running ? { type: "prep-stop" } : { type: "prep-start", side })}
            >
              {bank.label} prep
            </button>
            <span className={`prep-clock${bank.remainingMs < 0 ? " overtime" : ""}`}>
              {formatClock(bank.remainingMs)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The instructor's round panel: the timer, the commands (all applied by the server), prep and the timeline. */
export function RoundControls({ round, teams }: { round: RoundConnection; teams: TeamView[] }) {
  const snapshot = round.snapshot;
  const state = snapshot?.round.state;
  const ready = round.connected && snapshot !== null;
  const debateId = snapshot?.debateId;
  useRoundKeys(round);
  return (
    <section className="round-controls" aria-labelledby="round-heading">
      <h2 id="round-heading">Round</h2>
      <div className="round-panel">
        <div className="round-main">
          <RoundTimer round={round} teams={teams} size="large" place="control" />
          <div className="buttons">
            {state === "paused" ? (
              <button type="button" disabled={!ready} onClick={() => round.send({ type: "resume" })}>
                Resume
              </button>
            ) : state === "running" ? (
              <button type="button" disabled={!ready} onClick={() => round.send({ type: "pause" })}>
                Pause
              </button>
            ) : (
              <button
                type="button"
                disabled={!ready || state === "finished"}
                onClick={() => round.send({ type: "start" })}
              >
                Start
              </button>
            )}
            <button type="button" disabled={!ready} onClick={() => round.send({ type: "previous" })}>
              Previous phase
            </button>
            <button
              type="button"
              disabled={!ready || state === "finished"}
              onClick={() => round.send({ type: "next" })}
            >
              Next phase
            </button>
            <button
              type="button"
              disabled={!ready || state === "finished"}
              onClick={() => round.send({ type: "adjust", deltaMs: ADJUST_STEP_MS })}
            >
              +30 s
            </button>
            <button
              type="button"
              disabled={!ready || state === "finished"}
              onClick={() => round.send({ type: "adjust", deltaMs: -ADJUST_STEP_MS })}
            >
              −30 s
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!ready || state === "finished"}
              onClick={() => round.send({ type: "reset" })}
            >
              Reset phase
            </button>
          </div>
          <p className="key-hint">Keys: space starts, pauses and resumes; ← → change phase; ↑ ↓ add or remove 30 s.</p>
          {state === "finished" && debateId ? (
            <p className="next-step" role="status">
              Round finished. Next: <Link to={`/debates/${debateId}/results`}>results</Link> (pick the chair, follow the
              judges' ballots, release the results) and{" "}
              <Link to={`/debates/${debateId}/snapshots`}>the papers as judged</Link>.
            </p>
          ) : null}
          {round.error ? (
            <p role="alert" className="error">
              {round.error}
            </p>
          ) : null}
          <PrepBanks round={round} teams={teams} />
          {debateId ? (
            <p className="round-links">
              <Link to={`/debates/${debateId}/projector`} target="_blank" rel="noreferrer">
                Projector view
              </Link>
              <Link to={`/debates/${debateId}/snapshots`}>Paper snapshots</Link>
              <Link to={`/debates/${debateId}/formats`}>Formats</Link>
              <Link to={`/debates/${debateId}/round-log`}>Round log</Link>
            </p>
          ) : null}
        </div>
        <PhaseTimeline round={round} teams={teams} />
      </div>
    </section>
  );
}
