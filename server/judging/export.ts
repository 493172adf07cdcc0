import type { PanelDecision } from "../../shared/judging/panel";
import { weightedScore } from "../../shared/judging/rubrics";
import type { AudienceSwing } from "../../shared/judging/rules";
import type { JudgingContext } from "./results-view";

/**
 * The results exports (columns in docs/protocol.md, "Results exports"). Both carry the submitted
 * ballots only: a draft, or a reopened ballot, is not part of the decision yet.
 */

/**
 * A CSV cell. Spreadsheets split on "," or, in many locales, ";" (and tabs when pasted), so a
 * formula can start at the beginning of the cell or right after any of those separators: such a
 * cell gets a leading apostrophe (read as text), and a cell holding any separator, quote or line
 * break is quoted, so a ";" locale keeps it one cell.
 */
function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /(?:^|[,;\t\r\n|])\s*[=+\-@]|^[\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function submitted(context: JudgingContext) {
  return context.ballots.filter((ballot) => ballot.status === "submitted");
}

function voteName(context: JudgingContext, ballot: JudgingContext["ballots"][number]): string {
  if (ballot.content.abstain) return "abstain";
  return context.teams.find((team) => team.id === ballot.content.winnerTeamId)?.name ?? "";
}

const rounded = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/**
 * One row per submitted ballot and argument block, in paper order. The ballot's reason for
 * decision, its feedback to the row's team and its speaker points for that team repeat on each of
 * the ballot's rows for that team, so a spreadsheet filter on one team shows everything said to it.
 */
export function resultsCsv(context: JudgingContext): string {
  const criteria = context.settings.rubric.criteria;
  const header = [
    "judge",
    "chair",
    "vote",
    "team",
    "argument_id",
    "argument",
    ...criteria.map((criterion) => criterion.id),
    "weighted_score",
    "comment",
    "reason",
    "feedback",
    "speaker_points",
  ];
  const speakers = new Map(context.papers.map((paper) => [paper.team.id, paper.speakers]));
  const rows = [header.map(cell).join(",")];
  for (const ballot of submitted(context)) {
    for (const paper of context.papers) {
      for (const block of paper.blocks) {
        if (block.kind !== "argument" || block.key === null) continue;
        const levels = ballot.content.scores[block.key] ?? {};
        rows.push(
          [
            context.names.get(ballot.judgeSessionId) ?? "",
            ballot.judgeSessionId === context.settings.chairSessionId ? "yes" : "no",
            voteName(context, ballot),
            paper.team.name,
            block.id,
            block.title,
            ...criteria.map((criterion) => levels[criterion.id] ?? null),
            rounded(weightedScore(context.settings.rubric, levels)),
            ballot.content.comments[block.key] ?? "",
            ballot.content.reason,
            ballot.content.feedback[paper.team.id] ?? "",
            (speakers.get(paper.team.id) ?? [])
              .filter((speaker) => ballot.content.speakerPoints[speaker.sessionId] !== undefined)
              .map((speaker) => `${speaker.name}: ${ballot.content.speakerPoints[speaker.sessionId]}`)
              .join("; "),
          ]
            .map(cell)
            .join(","),
        );
      }
    }
  }
  return `${rows.join("\r\n")}\r\n`;
}

/** Everything the results page knows, for the instructor's records. */
export function resultsJson(context: JudgingContext, panel: PanelDecision, audience: AudienceSwing[] | null): string {
  const speakerName = new Map(context.papers.flatMap((paper) => paper.speakers.map((s) => [s.sessionId, s.name])));
  return JSON.stringify(
    {
      debate: { id: context.debate.id, title: context.debate.title, motion: context.debate.motion },
      rubric: context.settings.rubric,
      teams: context.teams.map((team) => ({ id: team.id, name: team.name, sideIndex: team.sideIndex })),
      papers: context.papers.map((paper) => ({
        teamId: paper.team.id,
        source: paper.source,
        arguments: paper.blocks.flatMap((block) =>
          block.kind === "argument"
            ? [{ id: block.id, key: block.key, title: block.title, notice: block.notice, claim: block.claim }]
            : [],
        ),
      })),
      decision: panel,
      chair: context.settings.chairSessionId ? (context.names.get(context.settings.chairSessionId) ?? null) : null,
      ballots: submitted(context).map((ballot) => ({
        judge: context.names.get(ballot.judgeSessionId) ?? "",
        chair: ballot.judgeSessionId === context.settings.chairSessionId,
        submittedAt: ballot.submittedAt === null ? null : new Date(ballot.submittedAt).toISOString(),
        vote: ballot.content.abstain ? null : ballot.content.winnerTeamId,
        abstained: ballot.content.abstain,
        scores: ballot.content.scores,
        comments: ballot.content.comments,
        reason: ballot.content.reason,
        feedback: ballot.content.feedback,
        speakerPoints: Object.entries(ballot.content.speakerPoints).map(([sessionId, points]) => ({
          student: speakerName.get(sessionId) ?? "",
          points,
        })),
      })),
      audience,
    },
    null,
    2,
  );
}
