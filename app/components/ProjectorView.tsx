import type { TeamView } from "../../shared/classroom/views";
import { openAudienceVote } from "../../shared/judging/audience-vote";
import type { RoundSnapshot } from "../../shared/wire/events";
import type { RoundConnection } from "../lib/round-client";
import { formatClock, roundView, teamOfSide, useServerTime } from "../lib/round-view";
import { MuteSwitch, RoundAnnouncer, useRoundSignals } from "./RoundSignals";
import { SpeakerTag } from "./RoundTimer";

const STATE_LABEL = { idle: "Ready", running: "Running", paused: "Paused", finished: "Finished" } as const;

/** What the projector needs to show people how to join; only the debate's instructor gets it. */
export interface ProjectorJoining {
  studentCode: string;
  joinLink: string;
  joinQr: string;
  voteLink: string;
  voteQr: string;
}

/**
 * While nobody is speaking (before the round, drafting, floor questions, a vote) latecomers can
 * join without distracting a speaker, and during the format's vote phases the audience votes.
 */
function joinShown(snapshot: RoundSnapshot): { join: boolean; vote: boolean } {
  const vote = openAudienceVote(snapshot.format, snapshot.round) !== null;
  const phase = snapshot.format.phases[snapshot.round.phaseIndex];
  const notStarted = snapshot.round.state === "idle" && snapshot.round.phaseIndex === 0;
  const quiet = snapshot.round.state !== "finished" && (phase?.speakingSide ?? null) === null;
  return { join: notStarted || quiet || vote, vote };
}

/** Beside the clock while nobody speaks; small, in the footer, during a speech, so latecomers can still join. */
function JoinPanel({ joining, vote, small = false }: { joining: ProjectorJoining; vote: boolean; small?: boolean }) {
  return (
    <aside className={`projector-join${small ? " small" : ""}`} aria-label="How to join">
      <figure>
        <img src={joining.joinQr} alt="Scan to join" className="projector-qr" />
        <figcaption>
          Join at <span className="projector-link">{joining.joinLink}</span>
          <span id="projector-code-label" className="projector-code-label">
            Student join code
          </span>
          <output aria-labelledby="projector-code-label" className="projector-code">
            {joining.studentCode}
          </output>
        </figcaption>
      </figure>
      {vote ? (
        <figure>
          <img src={joining.voteQr} alt="Scan to vote" className="projector-qr" />
          <figcaption>
            Audience: vote at <span className="projector-link">{joining.voteLink}</span>
          </figcaption>
        </figure>
      ) : null}
    </aside>
  );
}

/** The classroom screen: read from the back of the room, so one giant clock and few words. */
export function ProjectorView({
  round,
  teams,
  title,
  joining = null,
}: {
  round: RoundConnection;
  teams: TeamView[];
  title: string;
  joining?: ProjectorJoining | null;
}) {
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
  const shown = joinShown(snapshot);
  const joinPanel = joining && shown.join ? <JoinPanel joining={joining} vote={shown.vote} /> : null;
  const smallJoinPanel =
    joining && !shown.join && snapshot.round.state !== "finished" ? (
      <JoinPanel joining={joining} vote={false} small />
    ) : null;
  return (
    <main
      className={`projector state-${snapshot.round.state}${overtime ? " overtime" : ""}${signals.cue ? " signalling" : ""}${joinPanel ? " joining" : ""}`}
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
      <div className="projector-middle">
        <p role="timer" aria-label="Time remaining" className="projector-clock">
          {view.finished ? "0:00" : formatClock(view.remainingMs)}
        </p>
        {joinPanel}
      </div>
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
        {smallJoinPanel}
      </footer>
      <RoundAnnouncer signals={signals} />
    </main>
  );
}
