import { type ArgumentOfTeam, decidePanel, type PanelDecision } from "../../shared/judging/panel";
import { BUILT_IN_RUBRICS } from "../../shared/judging/rubrics";
import type { ReleaseStage } from "../../shared/judging/rules";
import { audienceSwing, CUSTOM_RUBRIC_ID, released } from "../../shared/judging/rules";
import type { BallotSummary, JudgedPaper, ResultsView } from "../../shared/judging/views";
import { type Outcome, refused } from "../../shared/outcome";
import type { ParticipantSession, SessionInfo } from "../../shared/session";
import { mayReadBallots, ownsDebate, paperAccess } from "../access";
import { toSummary, toTeamView } from "../classroom/views";
import type { AudienceVoteRecord, BallotRecord, DebateRecord, JudgingSettings, TeamRecord } from "../store/types";

/** Everything about one debate that judging reads: settings, teams, the judged papers, ballots. */
export interface JudgingContext {
  debate: DebateRecord;
  teams: TeamRecord[];
  settings: JudgingSettings;
  papers: JudgedPaper[];
  ballots: BallotRecord[];
  participants: ParticipantSession[];
  /** Display names of the debate's participants, judges included. */
  names: Map<string, string>;
}

/** The scored argument blocks of the judged papers: only these can carry scores and comments. */
export const argumentsOf = (papers: JudgedPaper[]): ArgumentOfTeam[] =>
  papers.flatMap((paper) =>
    paper.blocks.flatMap((block) =>
      block.kind === "argument" && block.key !== null ? [{ key: block.key, teamId: paper.team.id }] : [],
    ),
  );

export function decisionOf(context: JudgingContext): PanelDecision {
  return decidePanel(
    context.settings.rubric,
    context.teams.map((team) => team.id),
    argumentsOf(context.papers),
    context.ballots.map((ballot) => ({
      judgeId: ballot.judgeSessionId,
      isChair: ballot.judgeSessionId === context.settings.chairSessionId,
      status: ballot.status,
      winnerTeamId: ballot.content.abstain ? null : ballot.content.winnerTeamId,
      scores: ballot.content.scores,
    })),
  );
}

export interface ResultsInput {
  viewer: SessionInfo;
  /** The viewer's own ballot, if they are a judge with one. */
  ownBallotStatus: "draft" | "submitted" | null;
  context: JudgingContext;
  /** Whether the debate's format has an audience vote, and the votes cast. */
  audienceVote: boolean;
  audienceVotes: AudienceVoteRecord[];
}

/**
 * What one viewer may see of a debate's results: the privacy-critical projection, pure so every
 * release stage and role is unit-tested (tests/unit/results-view.test.ts). The instructor and
 * judges with their own ballot in see everything; students and the audience see what the release
 * stage allows, students their own team's written feedback only, nobody a paper they may not read.
 */
export function projectResults(input: ResultsInput): Outcome<{ view: ResultsView }> {
  const { viewer, context } = input;
  const { debate } = context;
  const ballotsAccess = mayReadBallots(viewer, debate, input.ownBallotStatus);
  // A judge is part of the panel: until their own ballot is in, the page has nothing for them.
  if (viewer.role === "judge" && !ballotsAccess.allowed) return refused(403, ballotsAccess.reason);
  const panel = decisionOf(context);
  const full = ballotsAccess.allowed;
  const stage: ReleaseStage = context.settings.releaseStage;
  const sees = (wanted: Exclude<ReleaseStage, "none">) => full || released(stage, wanted);
  const judgeName = (id: string) => context.names.get(id) ?? "A judge";
  const feedbackTeams = full
    ? new Set(context.teams.map((team) => team.id))
    : viewer.role === "student" && viewer.teamId
      ? new Set([viewer.teamId])
      : new Set<string>();
  const counted = context.ballots.filter((ballot) => ballot.status === "submitted");
  const visiblePapers = context.papers.filter((paper) => {
    const team = context.teams.find((candidate) => candidate.id === paper.team.id);
    return full || (team !== undefined && paperAccess(viewer, debate, team).access !== "none");
  });
  const argumentTeams = new Map(argumentsOf(context.papers).map(({ key, teamId }) => [key, teamId]));

  const view: ResultsView = {
    debate: toSummary(debate),
    teams: context.teams.map(toTeamView),
    rubric: context.settings.rubric,
    stage,
    viewer: viewer.role,
    decision: sees("decision")
      ? {
          outcome: panel.outcome,
          votes: panel.votes,
          abstentions: panel.abstentions,
          counted: panel.counted,
          chairName: context.settings.chairSessionId ? judgeName(context.settings.chairSessionId) : null,
        }
      : null,
    scores: sees("scores")
      ? {
          teamTotals: panel.teamTotals,
          criterionMeans: panel.criterionMeans,
          // Per-argument means name argument ids: only for the papers this viewer may read.
          argumentMeans: Object.fromEntries(
            argumentsOf(visiblePapers)
              .filter(({ key }) => key in panel.argumentMeans)
              .map(({ key }) => [key, panel.argumentMeans[key] ?? null]),
          ),
        }
      : null,
    papers: sees("scores") ? visiblePapers : [],
    feedback:
      sees("feedback") && feedbackTeams.size > 0
        ? {
            comments: counted.flatMap((ballot) =>
              Object.entries(ballot.content.comments).flatMap(([key, text]) => {
                const teamId = argumentTeams.get(key);
                return teamId && feedbackTeams.has(teamId)
                  ? [{ argumentKey: key, teamId, judgeName: judgeName(ballot.judgeSessionId), text }]
                  : [];
              }),
            ),
            teamFeedback: counted.flatMap((ballot) =>
              Object.entries(ballot.content.feedback)
                .filter(([teamId]) => feedbackTeams.has(teamId))
                .map(([teamId, text]) => ({ teamId, judgeName: judgeName(ballot.judgeSessionId), text })),
            ),
            reasons: counted
              .filter((ballot) => ballot.content.reason.trim() !== "")
              .map((ballot) => ({ judgeName: judgeName(ballot.judgeSessionId), text: ballot.content.reason })),
          }
        : null,
    audience:
      input.audienceVote && sees("decision")
        ? audienceSwing(
            context.teams.map((team) => team.id),
            input.audienceVotes,
          )
        : null,
    ballots: full
      ? context.ballots.map(
          (ballot): BallotSummary => ({
            judgeSessionId: ballot.judgeSessionId,
            judgeName: judgeName(ballot.judgeSessionId),
            isChair: ballot.judgeSessionId === context.settings.chairSessionId,
            status: ballot.status,
            vote: ballot.content.abstain ? "abstain" : ballot.content.winnerTeamId,
          }),
        )
      : null,
    manage: ownsDebate(viewer, debate)
      ? {
          rubricId: context.settings.rubric.id,
          rubricChoices: [
            ...BUILT_IN_RUBRICS.map((rubric) => ({ id: rubric.id, name: rubric.name })),
            ...(context.settings.customRubric
              ? [{ id: CUSTOM_RUBRIC_ID, name: `${context.settings.customRubric.name} (custom)` }]
              : []),
          ],
          chairSessionId: context.settings.chairSessionId,
          judges: context.participants
            .filter((participant) => participant.role === "judge")
            .map((judge) => ({ sessionId: judge.id, name: judge.displayName })),
          rubricLocked: context.ballots.some((ballot) => Object.keys(ballot.content.scores).length > 0),
        }
      : null,
  };
  return { ok: true, view };
}
