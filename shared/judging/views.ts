import type { DebateSummary, TeamView } from "../classroom/views";
import type { Outcome } from "../outcome";
import type { SessionInfo } from "../session";
import type { PanelOutcome } from "./panel";
import type { Rubric } from "./rubrics";
import type { AudienceMoment, AudienceSwing, BallotContent, BallotStatus, ReleaseStage } from "./rules";

/** A paper as judges score it: its blocks in order, argument blocks with their ids (server/judging/paper-blocks.ts). */
export type PaperBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | {
      kind: "argument";
      /** The id as the paper carries it (written by a student's editor, so not trusted alone). */
      id: string;
      /** What ballots score and comment on (argumentKey: team and id); null when the block is not scored. */
      key: string | null;
      /** Why a judge should look twice: a copied, repeated or malformed id. Null for an ordinary block. */
      notice: string | null;
      /** The scaffold's heading for this block, from the server's own record; "" for blocks students added. */
      title: string;
      claim: string;
      reasoning: string[];
      /**
       * Paragraphs and quotes in order. A quote carries the reading paragraph it cites and whether its
       * text is really found there (the paper's attribute alone proves nothing).
       */
      evidence: { text: string; quoteOfParagraph: number | null; matchesReading: boolean }[];
    };

export interface JudgedPaper {
  team: TeamView;
  /** The locked snapshot judges score, or the live paper (read-only here) when none is locked yet. */
  source: { kind: "snapshot"; name: string } | { kind: "live" };
  blocks: PaperBlock[];
  /** The team's students, by the name judges see (their code name when the debate uses code names). */
  speakers: { sessionId: string; name: string }[];
}

export interface JudgeRoomView {
  debate: DebateSummary;
  rubric: Rubric;
  papers: JudgedPaper[];
  ballot: { status: BallotStatus; content: BallotContent; updatedAt: number | null };
  isChair: boolean;
}

export interface BallotSummary {
  judgeSessionId: string;
  judgeName: string;
  isChair: boolean;
  status: BallotStatus;
  /** Team id, "abstain", or null while undecided. */
  vote: string | null;
}

export interface ResultsView {
  debate: DebateSummary;
  teams: TeamView[];
  rubric: Rubric;
  stage: ReleaseStage;
  viewer: SessionInfo["role"];
  /** Null until the decision is released to this viewer. */
  decision: {
    outcome: PanelOutcome;
    votes: Record<string, number>;
    abstentions: number;
    counted: number;
    chairName: string | null;
  } | null;
  /** Null until scores are released to this viewer. */
  scores: {
    teamTotals: Record<string, number | null>;
    criterionMeans: Record<string, Record<string, number | null>>;
    argumentMeans: Record<string, number | null>;
  } | null;
  /** The papers this viewer may read, with the blocks the scores and comments point at. */
  papers: JudgedPaper[];
  /** Null until feedback is released; students get only their own team's. */
  feedback: {
    comments: { argumentKey: string; teamId: string; judgeName: string; text: string }[];
    teamFeedback: { teamId: string; judgeName: string; text: string }[];
    reasons: { judgeName: string; text: string }[];
  } | null;
  /** Null when the format has no audience vote. */
  audience: AudienceSwing[] | null;
  /** Every ballot's status and vote: the instructor, and judges who submitted their own. */
  ballots: BallotSummary[] | null;
  /** The instructor's judging settings. */
  manage: {
    rubricId: string;
    rubricChoices: { id: string; name: string }[];
    chairSessionId: string | null;
    judges: { sessionId: string; name: string }[];
    rubricLocked: boolean;
  } | null;
}

export interface RubricEditorView {
  debate: DebateSummary;
  /** What the editor starts from: the debate's custom rubric, else its current one. */
  rubric: Rubric;
}

export interface AudienceVoteView {
  debate: DebateSummary;
  teams: TeamView[];
  /** The vote open now, following the format's phases (shared/judging/audience-vote.ts); null between the two. */
  moment: AudienceMoment | null;
  /** The team this session voted for at this moment, if it did. */
  myVote: string | null;
}

export interface ResultsExport {
  body: string;
  contentType: string;
  filename: string;
}

/** Judging's pages and actions (server/judging/services.ts). Inputs are untrusted and parsed with zod. */
export type ExportFormat = "csv" | "json";

export interface JudgingServices {
  judgeRoomView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: JudgeRoomView }>>;
  /** Saves the judge's draft, or submits it ("Submit ballot"), from the judge room's form. */
  saveBallot(
    session: SessionInfo | null,
    debateId: string,
    fields: Record<string, string>,
  ): Promise<Outcome<{ status: BallotStatus; updatedAt: number }>>;
  resultsView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: ResultsView }>>;
  /** The instructor's rubric choice, chair, release stage and reopening of a ballot. */
  judgingCommand(session: SessionInfo | null, debateId: string, fields: Record<string, string>): Promise<Outcome>;
  rubricEditorView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: RubricEditorView }>>;
  saveCustomRubric(session: SessionInfo | null, debateId: string, fields: Record<string, string>): Promise<Outcome>;
  exportResults(
    session: SessionInfo | null,
    debateId: string,
    format: ExportFormat,
  ): Promise<Outcome<{ file: ResultsExport }>>;
  audienceVoteView(session: SessionInfo | null, debateId: string): Promise<Outcome<{ view: AudienceVoteView }>>;
  castAudienceVote(session: SessionInfo | null, debateId: string, fields: Record<string, string>): Promise<Outcome>;
}
