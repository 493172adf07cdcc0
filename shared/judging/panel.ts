import { type Level, type Rubric, weightedScore } from "./rubrics";

/** What the aggregation needs of one judge's ballot. Drafts and reopened ballots are "draft". */
export interface BallotForDecision {
  judgeId: string;
  isChair: boolean;
  status: "draft" | "submitted";
  /** The team this judge votes for; null is an abstention. */
  winnerTeamId: string | null;
  /** Levels per argument key (team and block id, argumentKey), then per criterion id. */
  scores: Record<string, Partial<Record<string, Level>>>;
}

/** A scored argument block: its argumentKey and the team whose paper holds it. */
export interface ArgumentOfTeam {
  key: string;
  teamId: string;
}

export type PanelOutcome =
  | { kind: "no-ballots" }
  | { kind: "no-votes"; abstentions: number }
  | { kind: "unanimous"; winnerTeamId: string; votes: number }
  | { kind: "majority"; winnerTeamId: string; split: string }
  | { kind: "casting-vote"; winnerTeamId: string; split: string }
  | { kind: "tied"; teamIds: string[]; split: string };

export interface PanelDecision {
  outcome: PanelOutcome;
  /** Votes per team, every team listed, in the order given. */
  votes: Record<string, number>;
  abstentions: number;
  /** Judges whose ballots count (submitted). */
  counted: number;
  /** Mean over judges of each team's mean weighted argument score (0–100); null when unscored. */
  teamTotals: Record<string, number | null>;
  /** Per team, per criterion: mean level over every judge and every argument of the team. */
  criterionMeans: Record<string, Record<string, number | null>>;
  /** Per argument key: mean weighted score over the judges who scored it fully. */
  argumentMeans: Record<string, number | null>;
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

function splitLabel(counts: number[]): string {
  return [...counts].sort((a, b) => b - a).join("–");
}

function decideOutcome(ballots: BallotForDecision[], votes: Record<string, number>, abstentions: number): PanelOutcome {
  if (ballots.length === 0) return { kind: "no-ballots" };
  const counts = Object.values(votes);
  const cast = counts.reduce((sum, count) => sum + count, 0);
  if (cast === 0) return { kind: "no-votes", abstentions };
  const best = Math.max(...counts);
  const leaders = Object.keys(votes).filter((teamId) => votes[teamId] === best);
  const split = splitLabel(counts);
  if (leaders.length === 1) {
    const winnerTeamId = leaders[0]!;
    return best === cast ? { kind: "unanimous", winnerTeamId, votes: best } : { kind: "majority", winnerTeamId, split };
  }
  const chairVote = ballots.find((ballot) => ballot.isChair)?.winnerTeamId;
  if (chairVote && leaders.includes(chairVote)) return { kind: "casting-vote", winnerTeamId: chairVote, split };
  return { kind: "tied", teamIds: leaders, split };
}

/**
 * The panel's decision and the score summaries, from every judge's own ballot. Only submitted
 * ballots count: a reopened ballot is a draft again, and a removed judge's ballot is simply absent.
 * An abstaining judge's scores still count; only their vote does not.
 */
export function decidePanel(
  rubric: Rubric,
  teamIds: string[],
  argumentsOfTeams: ArgumentOfTeam[],
  allBallots: BallotForDecision[],
): PanelDecision {
  const ballots = allBallots.filter((ballot) => ballot.status === "submitted");
  const votes = Object.fromEntries(teamIds.map((teamId) => [teamId, 0])) as Record<string, number>;
  let abstentions = 0;
  for (const ballot of ballots) {
    if (ballot.winnerTeamId !== null && ballot.winnerTeamId in votes) votes[ballot.winnerTeamId]!++;
    else abstentions++;
  }

  const argumentMeans: Record<string, number | null> = {};
  for (const { key } of argumentsOfTeams) {
    const scores = ballots
      .map((ballot) => weightedScore(rubric, ballot.scores[key] ?? {}))
      .filter((score): score is number => score !== null);
    argumentMeans[key] = mean(scores);
  }

  const teamTotals: Record<string, number | null> = {};
  const criterionMeans: Record<string, Record<string, number | null>> = {};
  for (const teamId of teamIds) {
    const teamArguments = argumentsOfTeams.filter((argument) => argument.teamId === teamId);
    const perJudge = ballots
      .map((ballot) =>
        mean(
          teamArguments
            .map(({ key }) => weightedScore(rubric, ballot.scores[key] ?? {}))
            .filter((score): score is number => score !== null),
        ),
      )
      .filter((score): score is number => score !== null);
    teamTotals[teamId] = mean(perJudge);
    criterionMeans[teamId] = Object.fromEntries(
      rubric.criteria.map((criterion) => [
        criterion.id,
        mean(
          ballots.flatMap((ballot) =>
            teamArguments
              .map(({ key }) => ballot.scores[key]?.[criterion.id])
              .filter((level): level is Level => level !== undefined),
          ),
        ),
      ]),
    );
  }

  return {
    outcome: decideOutcome(ballots, votes, abstentions),
    votes,
    abstentions,
    counted: ballots.length,
    teamTotals,
    criterionMeans,
    argumentMeans,
  };
}
