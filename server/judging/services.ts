import { openAudienceVote } from "../../shared/audience-vote";
import { paperDocumentId } from "../../shared/documents";
import type { Format } from "../../shared/formats";
import {
  type AudienceMoment,
  audienceSwing,
  audienceVoteSchema,
  ballotFromFields,
  CUSTOM_RUBRIC_ID,
  EMPTY_BALLOT,
  judgingCommandSchema,
  type ReleaseStage,
  released,
  rubricFromFields,
  SUBMIT_NEEDS,
} from "../../shared/judging";
import type { BallotSummary, JudgedPaper, JudgingServices, ResultsView } from "../../shared/judging-views";
import { type ArgumentOfTeam, decidePanel } from "../../shared/panel";
import { splitParagraphs } from "../../shared/reading";
import { BUILT_IN_RUBRICS, CLASSROOM_RUBRIC } from "../../shared/rubrics";
import type { ParticipantSession, SessionInfo } from "../../shared/session";
import type { Outcome } from "../../shared/views";
import { type DebateAction, mayOnDebate, mayReadBallots, ownsDebate, paperAccess } from "../access";
import { codeNames } from "../code-names";
import type { PaperService } from "../papers";
import { toSummary, toTeamView } from "../services";
import type { BallotRecord, DebateRecord, JudgingSettings, Store, TeamRecord } from "../store/types";
import { resultsCsv, resultsJson } from "./export";
import { paperBlocks, resolvePapers, scaffoldTitles } from "./paper-blocks";

const refused = (status: number, reason: string) => ({ ok: false as const, status, reason });
const NO_SESSION = refused(401, "Log in or join the debate first.");
const NO_DEBATE = refused(404, "No such debate.");

export interface JudgingDependencies {
  papers: Pick<PaperService, "currentState">;
  formatOf(debate: DebateRecord): Promise<Format>;
}

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

export function createJudgingServices(store: Store, deps: JudgingDependencies): JudgingServices {
  async function settingsOf(debateId: string): Promise<JudgingSettings> {
    return (
      (await store.getJudgingSettings(debateId)) ?? {
        rubric: CLASSROOM_RUBRIC,
        customRubric: null,
        chairSessionId: null,
        releaseStage: "none",
      }
    );
  }

  /** The debate, if the session may do `action` to it; otherwise the refusal to answer with. */
  async function debateFor(
    session: SessionInfo | null,
    debateId: string,
    action: DebateAction,
  ): Promise<{ ok: true; session: SessionInfo; debate: DebateRecord } | { ok: false; status: number; reason: string }> {
    if (!session) return NO_SESSION;
    const debate = await store.getDebate(debateId);
    if (!debate) return NO_DEBATE;
    const decision = mayOnDebate(session, action, debate);
    return decision.allowed ? { ok: true, session, debate } : refused(403, decision.reason);
  }

  /** Judges score the last locked snapshot of each paper; before any lock, the live paper. */
  async function judgedPapers(
    debate: DebateRecord,
    teams: TeamRecord[],
    participants: ParticipantSession[],
    viewer: SessionInfo,
  ): Promise<JudgedPaper[]> {
    const coded = codeNames(participants, teams);
    // Judges and the audience see code names when the debate uses them; the instructor sees both.
    const nameOf = (session: ParticipantSession) => {
      const code = coded.get(session.id);
      if (!debate.codeNames || !code) return session.displayName;
      return ownsDebate(viewer, debate) ? `${session.displayName} (${code})` : code;
    };
    const read = [];
    for (const team of teams) {
      const snapshots = await store.listPaperSnapshots(team.id);
      const latest = snapshots.reduce<(typeof snapshots)[number] | undefined>(
        (last, snapshot) => (last === undefined || snapshot.createdAt >= last.createdAt ? snapshot : last),
        undefined,
      );
      const state = latest ? latest.state : await deps.papers.currentState(team.id);
      read.push({
        team,
        latest,
        paper: {
          teamId: team.id,
          teamName: team.name,
          blocks: paperBlocks(state),
          scaffold: scaffoldTitles(await store.getPaperScaffold(paperDocumentId(team.id))),
        },
      });
    }
    const resolved = resolvePapers(
      read.map((entry) => entry.paper),
      splitParagraphs(debate.readingText),
    );
    return read.map(
      ({ team, latest }, index): JudgedPaper => ({
        team: toTeamView(team),
        source: latest ? { kind: "snapshot", name: latest.name } : { kind: "live" },
        blocks: resolved[index]!,
        speakers: participants
          .filter((session) => session.role === "student" && session.teamId === team.id)
          .map((session) => ({ sessionId: session.id, name: nameOf(session) })),
      }),
    );
  }

  async function contextOf(debate: DebateRecord, viewer: SessionInfo): Promise<JudgingContext> {
    const teams = await store.listTeams(debate.id);
    const participants = await store.listParticipants(debate.id);
    return {
      debate,
      teams,
      settings: await settingsOf(debate.id),
      papers: await judgedPapers(debate, teams, participants, viewer),
      ballots: await store.listBallots(debate.id),
      participants,
      names: new Map(participants.map((session) => [session.id, session.displayName])),
    };
  }

  /** The scored argument blocks of the judged papers: only these can carry scores and comments. */
  const argumentsOf = (papers: JudgedPaper[]): ArgumentOfTeam[] =>
    papers.flatMap((paper) =>
      paper.blocks.flatMap((block) =>
        block.kind === "argument" && block.key !== null ? [{ key: block.key, teamId: paper.team.id }] : [],
      ),
    );

  function decisionOf(context: JudgingContext) {
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

  /** A ballot's content must point at this debate's arguments, criteria, teams and students. */
  function checkAgainstDebate(context: JudgingContext, content: BallotRecord["content"]): string | null {
    const argumentKeys = new Set(argumentsOf(context.papers).map((argument) => argument.key));
    const criterionIds = new Set(context.settings.rubric.criteria.map((criterion) => criterion.id));
    const teamIds = new Set(context.teams.map((team) => team.id));
    const studentIds = new Set(context.papers.flatMap((paper) => paper.speakers.map((speaker) => speaker.sessionId)));
    for (const [key, levels] of Object.entries(content.scores)) {
      if (!argumentKeys.has(key)) return "A score points at an argument that is not in the judged papers";
      for (const criterionId of Object.keys(levels)) {
        if (!criterionIds.has(criterionId)) return `"${criterionId}" is not a criterion of this debate's rubric`;
      }
    }
    for (const key of Object.keys(content.comments)) {
      if (!argumentKeys.has(key)) return "A comment points at an argument that is not in the judged papers";
    }
    if (content.winnerTeamId !== null && !teamIds.has(content.winnerTeamId))
      return "The winner must be a team of this debate";
    for (const teamId of Object.keys(content.feedback)) {
      if (!teamIds.has(teamId)) return "Feedback must be for a team of this debate";
    }
    for (const sessionId of Object.keys(content.speakerPoints)) {
      if (!studentIds.has(sessionId)) return "Speaker points must be for a student of this debate";
    }
    return null;
  }

  const scoredBallotsExist = (ballots: BallotRecord[]) =>
    ballots.some((ballot) => Object.keys(ballot.content.scores).length > 0);
  const RUBRIC_LOCKED = refused(409, "Judges have already scored on this rubric: it can no longer change.");

  async function momentOf(debate: DebateRecord): Promise<AudienceMoment | null> {
    return openAudienceVote(await deps.formatOf(debate), await store.getRound(debate.id));
  }

  return {
    async judgeRoomView(session, debateId) {
      const found = await debateFor(session, debateId, "judge");
      if (!found.ok) return found;
      const context = await contextOf(found.debate, found.session);
      const ballot = context.ballots.find((candidate) => candidate.judgeSessionId === found.session.id);
      return {
        ok: true,
        view: {
          debate: toSummary(found.debate),
          rubric: context.settings.rubric,
          papers: context.papers,
          ballot: ballot
            ? { status: ballot.status, content: ballot.content, updatedAt: ballot.updatedAt }
            : { status: "draft", content: structuredClone(EMPTY_BALLOT), updatedAt: null },
          isChair: context.settings.chairSessionId === found.session.id,
        },
      };
    },

    async saveBallot(session, debateId, fields) {
      const found = await debateFor(session, debateId, "judge");
      if (!found.ok) return found;
      const existing = await store.getBallot(found.session.id);
      if (existing?.status === "submitted") {
        return refused(409, "Your ballot is submitted and locked; the instructor can reopen it.");
      }
      const parsed = ballotFromFields(fields);
      if (!parsed.ok) return refused(400, parsed.reason);
      const context = await contextOf(found.debate, found.session);
      const problem = checkAgainstDebate(context, parsed.content);
      if (problem) return refused(400, problem);
      if (parsed.intent === "submit") {
        if (parsed.content.winnerTeamId === null && !parsed.content.abstain) {
          return refused(400, SUBMIT_NEEDS.winner);
        }
        if (parsed.content.reason.trim() === "") return refused(400, SUBMIT_NEEDS.reason);
      }
      const now = Date.now();
      const status = parsed.intent === "submit" ? "submitted" : "draft";
      await store.saveBallot({
        judgeSessionId: found.session.id,
        debateId,
        status,
        content: parsed.content,
        updatedAt: now,
        submittedAt: status === "submitted" ? now : null,
      });
      return { ok: true, status, updatedAt: now };
    },

    async resultsView(session, debateId) {
      const found = await debateFor(session, debateId, "see-results");
      if (!found.ok) return found;
      const { debate } = found;
      const viewer = found.session;
      const own = await store.getBallot(viewer.id);
      const ballotsAccess = mayReadBallots(viewer, debate, own?.status ?? null);
      // A judge is part of the panel: until their own ballot is in, the page has nothing for them.
      if (viewer.role === "judge" && !ballotsAccess.allowed) return refused(403, ballotsAccess.reason);
      const context = await contextOf(debate, viewer);
      const panel = decisionOf(context);
      const full = ballotsAccess.allowed;
      const stage: ReleaseStage = context.settings.releaseStage;
      const sees = (wanted: Exclude<ReleaseStage, "none">) => full || released(stage, wanted);
      const judgeName = (id: string) => context.names.get(id) ?? "A judge";
      // Students see their own team's written feedback only; the audience sees none.
      const feedbackTeams = full
        ? new Set(context.teams.map((team) => team.id))
        : viewer.role === "student" && viewer.teamId
          ? new Set([viewer.teamId])
          : new Set<string>();
      const counted = context.ballots.filter((ballot) => ballot.status === "submitted");
      const format = await deps.formatOf(debate);
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
          format.audienceVote && sees("decision")
            ? audienceSwing(
                context.teams.map((team) => team.id),
                await store.listAudienceVotes(debate.id),
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
              rubricLocked: scoredBallotsExist(context.ballots),
            }
          : null,
      };
      return { ok: true, view };
    },

    async judgingCommand(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = judgingCommandSchema.safeParse(fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refused(400, `Not a judging setting: ${issue?.path.join(".") || "intent"}: ${issue?.message}`);
      }
      const settings = await settingsOf(debateId);
      const command = parsed.data;
      switch (command.intent) {
        case "rubric": {
          const rubric =
            command.rubricId === CUSTOM_RUBRIC_ID
              ? settings.customRubric
              : BUILT_IN_RUBRICS.find((candidate) => candidate.id === command.rubricId);
          if (!rubric) return refused(400, "No such rubric.");
          if (rubric.id === settings.rubric.id) return { ok: true };
          if (scoredBallotsExist(await store.listBallots(debateId))) return RUBRIC_LOCKED;
          await store.saveJudgingSettings(debateId, { ...settings, rubric });
          return { ok: true };
        }
        case "chair": {
          if (command.chairSessionId !== "") {
            const judge = await store.getSession(command.chairSessionId);
            if (judge?.role !== "judge" || judge.debateId !== debateId)
              return refused(400, "The chair must be a judge of this debate.");
          }
          await store.saveJudgingSettings(debateId, { ...settings, chairSessionId: command.chairSessionId || null });
          return { ok: true };
        }
        case "release":
          await store.saveJudgingSettings(debateId, { ...settings, releaseStage: command.releaseStage });
          return { ok: true };
        case "reopen": {
          const ballot = await store.getBallot(command.judgeSessionId);
          if (!ballot || ballot.debateId !== debateId) return refused(404, "No such ballot in this debate.");
          if (ballot.status !== "submitted") return refused(409, "That ballot is not submitted.");
          await store.saveBallot({ ...ballot, status: "draft", submittedAt: null, updatedAt: Date.now() });
          return { ok: true };
        }
      }
    },

    async rubricEditorView(session, debateId) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const settings = await settingsOf(debateId);
      return {
        ok: true,
        view: { debate: toSummary(found.debate), rubric: settings.customRubric ?? settings.rubric },
      };
    },

    async saveCustomRubric(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = rubricFromFields(fields);
      if (!parsed.ok) return refused(400, parsed.reason);
      if (scoredBallotsExist(await store.listBallots(debateId))) return RUBRIC_LOCKED;
      const settings = await settingsOf(debateId);
      await store.saveJudgingSettings(debateId, { ...settings, customRubric: parsed.rubric, rubric: parsed.rubric });
      return { ok: true };
    },

    async exportResults(session, debateId, format) {
      const found = await debateFor(session, debateId, "see-results");
      if (!found.ok) return found;
      const own = await store.getBallot(found.session.id);
      const access = mayReadBallots(found.session, found.debate, own?.status ?? null);
      if (!access.allowed) return refused(403, access.reason);
      const context = await contextOf(found.debate, found.session);
      const votes = (await deps.formatOf(found.debate)).audienceVote
        ? audienceSwing(
            context.teams.map((team) => team.id),
            await store.listAudienceVotes(debateId),
          )
        : null;
      const base = `caucus-results-${debateId}`;
      return {
        ok: true,
        file:
          format === "csv"
            ? { body: resultsCsv(context), contentType: "text/csv; charset=utf-8", filename: `${base}.csv` }
            : {
                body: resultsJson(context, decisionOf(context), votes),
                contentType: "application/json; charset=utf-8",
                filename: `${base}.json`,
              },
      };
    },

    async audienceVoteView(session, debateId) {
      const found = await debateFor(session, debateId, "vote-as-audience");
      if (!found.ok) return found;
      if (!(await deps.formatOf(found.debate)).audienceVote)
        return refused(409, "This debate's format has no audience vote.");
      const moment = await momentOf(found.debate);
      const mine = (await store.listAudienceVotes(debateId)).find(
        (vote) => vote.sessionId === found.session.id && vote.moment === moment,
      );
      return {
        ok: true,
        view: {
          debate: toSummary(found.debate),
          teams: (await store.listTeams(debateId)).map(toTeamView),
          moment,
          myVote: mine?.teamId ?? null,
        },
      };
    },

    async castAudienceVote(session, debateId, fields): Promise<Outcome> {
      const found = await debateFor(session, debateId, "vote-as-audience");
      if (!found.ok) return found;
      if (!(await deps.formatOf(found.debate)).audienceVote)
        return refused(409, "This debate's format has no audience vote.");
      if (found.debate.archivedAt !== null) return refused(409, "This debate is archived: voting has closed.");
      const moment = await momentOf(found.debate);
      if (!moment) {
        return refused(409, "The vote before the round has closed; the vote after it opens with its phase.");
      }
      const parsed = audienceVoteSchema.safeParse(fields);
      const team = parsed.success ? await store.getTeam(parsed.data.teamId) : undefined;
      if (!team || team.debateId !== debateId) return refused(400, "Vote for one of this debate's sides.");
      await store.saveAudienceVote({
        sessionId: found.session.id,
        moment,
        debateId,
        teamId: team.id,
        votedAt: Date.now(),
      });
      return { ok: true };
    },
  };
}
