import type { Format, Phase } from "../rounds/formats";
import type { RoundState } from "../rounds/round-clock";
import type { AudienceMoment } from "./rules";

/**
 * Oxford style: the audience votes on the motion before the debate and again after it, and the
 * swing between the two is part of the result. The format's own phases say when: a phase named
 * "Audience vote (before)" (id `vote-before` in the built-in format) or "… (after)".
 */
export function audienceVotePhase(phase: Phase): AudienceMoment | null {
  if (phase.id === "vote-before" || /\bvote\b.*\bbefore\b/i.test(phase.name)) return "before";
  if (phase.id === "vote-after" || /\bvote\b.*\bafter\b/i.test(phase.name)) return "after";
  return null;
}

/**
 * Which vote is open now. The after vote opens with the format's after-vote phase (or when the
 * round finishes, if it has none). The before vote is open until its own phase ends, or, in a
 * format without one, until the first speech starts. Between the two, neither is open, so a
 * before-vote cannot be changed once the debate is under way.
 */
export function openAudienceVote(format: Format, round: RoundState | null | undefined): AudienceMoment | null {
  if (!format.audienceVote) return null;
  if (!round) return "before";
  if (round.state === "finished") return "after";
  const kinds = format.phases.map(audienceVotePhase);
  const after = kinds.indexOf("after");
  if (after >= 0 && round.phaseIndex >= after) return "after";
  const before = kinds.indexOf("before");
  if (before >= 0) return round.phaseIndex <= before ? "before" : null;
  const firstSpeech = format.phases.findIndex((phase) => phase.speakingSide !== null);
  if (firstSpeech < 0 || round.phaseIndex < firstSpeech) return "before";
  return round.phaseIndex === firstSpeech && round.state === "idle" ? "before" : null;
}
