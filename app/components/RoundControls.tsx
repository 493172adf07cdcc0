import { ADJUST_STEP_MS } from "../../shared/round";
import type { TeamView } from "../../shared/views";
import type { RoundConnection } from "../lib/round-client";
import { RoundTimer } from "./RoundTimer";

/** The instructor's round panel: the big timer and the commands, all applied by the server. */
export function RoundControls({ round, teams }: { round: RoundConnection; teams: TeamView[] }) {
  const state = round.snapshot?.round.state;
  const ready = round.connected && round.snapshot !== null;
  return (
    <section className="round-controls" aria-labelledby="round-heading">
      <h2 id="round-heading">Round</h2>
      <RoundTimer snapshot={round.snapshot} clockOffsetMs={round.clockOffsetMs} teams={teams} size="large" />
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
          <button type="button" disabled={!ready || state === "finished"} onClick={() => round.send({ type: "start" })}>
            Start
          </button>
        )}
        <button type="button" disabled={!ready} onClick={() => round.send({ type: "previous" })}>
          Previous phase
        </button>
        <button type="button" disabled={!ready || state === "finished"} onClick={() => round.send({ type: "next" })}>
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
      </div>
      {round.error ? (
        <p role="alert" className="error">
          {round.error}
        </p>
      ) : null}
    </section>
  );
}
