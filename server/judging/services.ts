import { splitParagraphs } from "../../shared/classroom/reading";
import { openAudienceVote } from "../../shared/judging/audience-vote";
import { BUILT_IN_RUBRICS, CLASSROOM_RUBRIC } from "../../shared/judging/rubrics";
import {
  type AudienceMoment,
  audienceSwing,
  audienceVoteSchema,
  ballotFromFields,
  CUSTOM_RUBRIC_ID,
  EMPTY_BALLOT,
  type JudgingCommand,
  judgingCommandSchema,
  rubricFromFields,
  SUBMIT_NEEDS,
} from "../../shared/judging/rules";
import type { JudgedPaper, JudgingServices } from "../../shared/judging/views";
import { invalid, notFound, type Outcome, refused } from "../../shared/outcome";
import { paperDocumentId } from "../../shared/papers/documents";
import type { Format } from "../../shared/rounds/formats";
import type { ParticipantSession, SessionInfo } from "../../shared/session";
import { mayReadBallots, ownsDebate } from "../access";
import { codeNames } from "../classroom/code-names";
import { toSummary, toTeamView } from "../classroom/views";
import { debateGuard } from "../guard";
import type { PaperService } from "../papers/paper-service";
import type { BallotRecord, DebateRecord, JudgingSettings, Store, TeamRecord } from "../store/types";
import { resultsCsv, resultsJson } from "./export";
import { paperBlocks, resolvePapers, scaffoldTitles } from "./paper-blocks";
import { argumentsOf, decisionOf, type JudgingContext, projectResults } from "./results-view";

export interface JudgingDependencies {
  papers: Pick<PaperService, "currentState">;
  formatOf(debate: DebateRecord): Promise<Format>;
  /** A ballot's status or the release stage changed: the control room's live channel pushes it. */
  controlChanged(debateId: string): void;
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

  const debateFor = debateGuard(store);

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

  async function applyJudgingCommand(debateId: string, command: JudgingCommand): Promise<Outcome> {
    const settings = await settingsOf(debateId);
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
        if (!ballot || ballot.debateId !== debateId) return notFound("ballot", "this debate");
        if (ballot.status !== "submitted") return refused(409, "That ballot is not submitted.");
        await store.saveBallot({ ...ballot, status: "draft", submittedAt: null, updatedAt: Date.now() });
        return { ok: true };
      }
    }
  }

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
      deps.controlChanged(debateId);
      return { ok: true, status, updatedAt: now };
    },

    async resultsView(session, debateId) {
      const found = await debateFor(session, debateId, "see-results");
      if (!found.ok) return found;
      const { debate } = found;
      const viewer = found.session;
      const format = await deps.formatOf(debate);
      return projectResults({
        viewer,
        ownBallotStatus: (await store.getBallot(viewer.id))?.status ?? null,
        context: await contextOf(debate, viewer),
        audienceVote: format.audienceVote,
        audienceVotes: format.audienceVote ? await store.listAudienceVotes(debate.id) : [],
      });
    },

    async judgingCommand(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = judgingCommandSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error, "Not a judging setting");
      const applied = await applyJudgingCommand(debateId, parsed.data);
      if (applied.ok) deps.controlChanged(debateId);
      return applied;
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
