import { z } from "zod";
import { ABSTAIN, BallotField, RELEASE_STAGES, RUBRIC_EDITOR_ROWS, SPEAKER_POINTS } from "./fields";
import { LEVELS, type Level, type Rubric, rubricSchema } from "./rubrics";

export {
  ABSTAIN,
  BALLOT_STATUSES,
  BallotField,
  type BallotStatus,
  RELEASE_STAGE_LABELS,
  RELEASE_STAGES,
  type ReleaseStage,
  RUBRIC_EDITOR_ROWS,
  released,
  SPEAKER_POINTS,
  SUBMIT_NEEDS,
} from "./fields";

/** Judging's wire names and schemas (issue 6): ballots, release stages, audience votes, form fields. */

const TEXT_LIMIT = 4000;
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/**
 * Judges score an argument block by its team and its id together: an id is written by students'
 * editors, so another team can copy it, and a score or comment must still land on the block the
 * judge saw (decision 080). "~" is outside base64url, so the key splits back unambiguously.
 */
export function argumentKey(teamId: string, argumentId: string): string {
  return `${teamId}~${argumentId}`;
}
export const ARGUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const argumentKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}~[A-Za-z0-9_-]{1,64}$/);
const levelSchema = z.union(LEVELS.map((level) => z.literal(level)) as [z.ZodLiteral<Level>, ...z.ZodLiteral<Level>[]]);

/** One judge's ballot as stored and as the judge room edits it. */
export const ballotContentSchema = z.object({
  /** Levels per argument key (team and block id, argumentKey), then per criterion id. */
  scores: z.record(argumentKeySchema, z.record(z.string(), levelSchema)),
  /** A comment anchored to an argument block, by its argument key. */
  comments: z.record(argumentKeySchema, z.string().max(TEXT_LIMIT)),
  /** The team this judge votes for; null while undecided (or to abstain, once submitted). */
  winnerTeamId: idSchema.nullable(),
  abstain: z.boolean(),
  /** Optional points per student session id, within SPEAKER_POINTS. */
  speakerPoints: z.record(idSchema, z.number().int().min(SPEAKER_POINTS.min).max(SPEAKER_POINTS.max)),
  reason: z.string().max(TEXT_LIMIT),
  /** Written feedback per team id. */
  feedback: z.record(idSchema, z.string().max(TEXT_LIMIT)),
});
export type BallotContent = z.infer<typeof ballotContentSchema>;

export const EMPTY_BALLOT: BallotContent = {
  scores: {},
  comments: {},
  winnerTeamId: null,
  abstain: false,
  speakerPoints: {},
  reason: "",
  feedback: {},
};

export const BALLOT_INTENTS = ["save", "submit"] as const;
export type BallotIntent = (typeof BALLOT_INTENTS)[number];

/**
 * A judge room form as a ballot, checked for shape only; the server then checks it against the
 * debate (its arguments, rubric, teams and students). A refusal names the first bad field.
 */
export function ballotFromFields(
  fields: Record<string, string>,
): { ok: true; intent: BallotIntent; content: BallotContent } | { ok: false; reason: string } {
  const intent = z.enum(BALLOT_INTENTS).safeParse(fields[BallotField.intent]);
  if (!intent.success) return { ok: false, reason: "Say whether to save or submit the ballot" };
  const content: BallotContent = structuredClone(EMPTY_BALLOT);
  for (const [name, value] of Object.entries(fields)) {
    const [kind, first, second] = name.split(":");
    switch (kind) {
      case "score": {
        if (value === "" || first === undefined || second === undefined) break;
        content.scores[first] = { ...content.scores[first], [second]: Number(value) as Level };
        break;
      }
      case "comment":
        if (first !== undefined && value.trim() !== "") content.comments[first] = value;
        break;
      case "points":
        if (first !== undefined && value.trim() !== "") content.speakerPoints[first] = Number(value);
        break;
      case "feedback":
        if (first !== undefined && value.trim() !== "") content.feedback[first] = value;
        break;
      case BallotField.winner:
        if (value === ABSTAIN) content.abstain = true;
        else if (value !== "") content.winnerTeamId = value;
        break;
      case BallotField.reason:
        content.reason = value;
        break;
      case BallotField.intent:
        break;
      default:
        return { ok: false, reason: `Unknown field "${name}"` };
    }
  }
  const parsed = ballotContentSchema.safeParse(content);
  if (!parsed.success) {
    // Ids in the path (arguments, students) mean nothing to a judge: say what is wrong in words.
    const issue = parsed.error.issues[0];
    const what =
      issue?.path[0] === "speakerPoints"
        ? `speaker points must be whole numbers from ${SPEAKER_POINTS.min} to ${SPEAKER_POINTS.max}`
        : issue?.path[0] === "scores"
          ? `levels run from 1 to ${LEVELS.length}`
          : `${String(issue?.path[0] ?? "ballot")}: ${issue?.message}`;
    return { ok: false, reason: `The ballot is not valid: ${what}` };
  }
  return { ok: true, intent: intent.data, content: parsed.data };
}

/** Instructor settings on the results page. */
export const judgingCommandSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rubric"), rubricId: z.string().min(1) }),
  z.object({ intent: z.literal("chair"), chairSessionId: z.string() }),
  z.object({ intent: z.literal("release"), releaseStage: z.enum(RELEASE_STAGES) }),
  z.object({ intent: z.literal("reopen"), judgeSessionId: idSchema }),
]);
export type JudgingCommand = z.infer<typeof judgingCommandSchema>;

/** The id a debate's own edited rubric carries. */
export const CUSTOM_RUBRIC_ID = "custom";

/**
 * The rubric editor's form as a rubric: `name`, then per row i `criterion-i-name`,
 * `criterion-i-weight` and `criterion-i-level-1` … `-4`. Rows with no name are skipped.
 */
export function rubricFromFields(
  fields: Record<string, string>,
): { ok: true; rubric: Rubric } | { ok: false; reason: string } {
  const criteria: { id: string; name: string; weight: number; descriptors: string[] }[] = [];
  for (let row = 0; row < RUBRIC_EDITOR_ROWS; row++) {
    const name = (fields[`criterion-${row}-name`] ?? "").trim();
    if (name === "") continue;
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    criteria.push({
      id: /^[a-z]/.test(slug) ? slug : `c-${slug || row}`,
      name,
      weight: Number(fields[`criterion-${row}-weight`] ?? ""),
      descriptors: LEVELS.map((level) => (fields[`criterion-${row}-level-${level}`] ?? "").trim()),
    });
  }
  const parsed = rubricSchema.safeParse({ id: CUSTOM_RUBRIC_ID, name: (fields.name ?? "").trim(), criteria });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [, row, field] = issue?.path ?? [];
    const where =
      typeof row === "number"
        ? `criterion "${criteria[row]?.name}", ${String(field)}`
        : String(issue?.path[0] ?? "rubric");
    return { ok: false, reason: `The rubric is not valid: ${where}: ${issue?.message}` };
  }
  return { ok: true, rubric: parsed.data };
}

export const AUDIENCE_MOMENTS = ["before", "after"] as const;
export type AudienceMoment = (typeof AUDIENCE_MOMENTS)[number];
export const audienceVoteSchema = z.object({ teamId: idSchema });

/** One side's audience vote share before and after the round, in percent, and the swing between. */
export interface AudienceSwing {
  teamId: string;
  before: number;
  after: number;
  beforePercent: number | null;
  afterPercent: number | null;
  /** After minus before, in percentage points; null until both votes have voters. */
  swing: number | null;
}

export function audienceSwing(teamIds: string[], votes: { moment: AudienceMoment; teamId: string }[]): AudienceSwing[] {
  const count = (moment: AudienceMoment, teamId?: string) =>
    votes.filter((vote) => vote.moment === moment && (teamId === undefined || vote.teamId === teamId)).length;
  const totalBefore = count("before");
  const totalAfter = count("after");
  return teamIds.map((teamId) => {
    const before = count("before", teamId);
    const after = count("after", teamId);
    const beforePercent = totalBefore === 0 ? null : (100 * before) / totalBefore;
    const afterPercent = totalAfter === 0 ? null : (100 * after) / totalAfter;
    return {
      teamId,
      before,
      after,
      beforePercent,
      afterPercent,
      swing: beforePercent === null || afterPercent === null ? null : afterPercent - beforePercent,
    };
  });
}
