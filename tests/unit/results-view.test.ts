import { describe, expect, it } from "vitest";
import { type JudgingContext, projectResults, type ResultsInput } from "../../server/judging/results-view";
import type { BallotRecord, DebateRecord, TeamRecord } from "../../server/store/types";
import { CLASSROOM_RUBRIC } from "../../shared/judging/rubrics";
import { EMPTY_BALLOT, RELEASE_STAGES, type ReleaseStage } from "../../shared/judging/rules";
import type { JudgedPaper } from "../../shared/judging/views";
import type { SessionInfo } from "../../shared/session";

const debate: DebateRecord = {
  id: "d",
  title: "Motion",
  motion: "This house would",
  readingTitle: "",
  readingCredit: "",
  readingText: "",
  formatId: "classroom",
  studentCode: "S",
  judgeCode: "J",
  audienceKey: "k",
  ownerId: "acct",
  teamMode: "assign",
  codeNames: false,
  archivedAt: null,
  // Students never read the other team's paper: results must not leak it either.
  revealPolicy: "never",
  createdAt: 0,
};

const team = (id: string, sideIndex: number): TeamRecord => ({
  id,
  debateId: "d",
  sideIndex,
  name: `Team ${id}`,
  description: "",
  color: "#1d4ed8",
  paperLocked: true,
  paperLockReason: null,
});
const teams = [team("A", 0), team("B", 1)];

const paper = (teamId: string): JudgedPaper =>
  ({
    team: {
      id: teamId,
      sideIndex: teamId === "A" ? 0 : 1,
      name: `Team ${teamId}`,
      description: "",
      color: "#1d4ed8",
      docId: `paper.${teamId}`,
    },
    source: { kind: "live" },
    speakers: [],
    blocks: [
      {
        kind: "argument",
        id: "arg1",
        key: `${teamId}~arg1`,
        notice: null,
        title: "T",
        claim: "",
        reasoning: [],
        evidence: [],
      },
    ],
  }) as JudgedPaper;

const ballot = (judge: string, status: BallotRecord["status"]): BallotRecord => ({
  judgeSessionId: judge,
  debateId: "d",
  status,
  updatedAt: 0,
  submittedAt: status === "submitted" ? 0 : null,
  content: {
    ...EMPTY_BALLOT,
    winnerTeamId: "A",
    scores: { "A~arg1": { claim: 4 }, "B~arg1": { claim: 2 } },
    comments: { "A~arg1": `${judge} on A`, "B~arg1": `${judge} on B` },
    reason: `${judge}'s reason`,
    feedback: { A: `${judge} to A`, B: `${judge} to B` },
  },
});

const session = (id: string, role: SessionInfo["role"], extra: Partial<SessionInfo> = {}): SessionInfo => ({
  id,
  role,
  displayName: id,
  debateId: role === "instructor" ? null : "d",
  accountId: null,
  teamId: null,
  color: "#000000",
  ...extra,
});

const viewers = {
  owner: session("owner", "instructor", { accountId: "acct" }),
  studentA: session("amira", "student", { teamId: "A" }),
  studentB: session("ben", "student", { teamId: "B" }),
  audience: session("aud", "audience"),
  judgeDone: session("j1", "judge"),
  judgeDrafting: session("j2", "judge"),
};

function input(viewer: SessionInfo, releaseStage: ReleaseStage): ResultsInput {
  const context: JudgingContext = {
    debate,
    teams,
    settings: { rubric: CLASSROOM_RUBRIC, customRubric: null, chairSessionId: "j1", releaseStage },
    papers: [paper("A"), paper("B")],
    ballots: [ballot("j1", "submitted"), ballot("j2", "draft")],
    participants: [],
    names: new Map([
      ["j1", "Judge Rao"],
      ["j2", "Judge Ode"],
    ]),
  };
  return {
    viewer,
    ownBallotStatus: viewer.id === "j1" ? "submitted" : viewer.id === "j2" ? "draft" : null,
    context,
    audienceVote: true,
    audienceVotes: [],
  };
}

function view(viewer: SessionInfo, stage: ReleaseStage) {
  const outcome = projectResults(input(viewer, stage));
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.view;
}

const at = (stage: ReleaseStage, from: ReleaseStage) => RELEASE_STAGES.indexOf(stage) >= RELEASE_STAGES.indexOf(from);

describe("the results projection", () => {
  for (const stage of RELEASE_STAGES) {
    it(`shows the instructor and a judge with a submitted ballot everything, whatever the stage (${stage})`, () => {
      for (const viewer of [viewers.owner, viewers.judgeDone]) {
        const seen = view(viewer, stage);
        expect(seen.decision?.chairName).toBe("Judge Rao");
        expect(Object.keys(seen.scores?.argumentMeans ?? {}).sort()).toEqual(["A~arg1", "B~arg1"]);
        expect(seen.papers.map((one) => one.team.id)).toEqual(["A", "B"]);
        // Only submitted ballots count: the draft's words are nowhere.
        expect(seen.feedback?.comments.map((comment) => comment.text).sort()).toEqual(["j1 on A", "j1 on B"]);
        expect(seen.feedback?.reasons.map((reason) => reason.text)).toEqual(["j1's reason"]);
        expect(seen.ballots?.map((one) => [one.judgeName, one.status])).toEqual([
          ["Judge Rao", "submitted"],
          ["Judge Ode", "draft"],
        ]);
        expect(seen.manage !== null).toBe(viewer === viewers.owner);
      }
    });

    it(`shows a student what stage ${stage} releases, their own team's paper and feedback only`, () => {
      const seen = view(viewers.studentA, stage);
      expect(seen.decision !== null).toBe(at(stage, "decision"));
      expect(seen.audience !== null).toBe(at(stage, "decision"));
      expect(seen.scores !== null).toBe(at(stage, "scores"));
      expect(Object.keys(seen.scores?.argumentMeans ?? {})).toEqual(at(stage, "scores") ? ["A~arg1"] : []);
      expect(seen.papers.map((one) => one.team.id)).toEqual(at(stage, "scores") ? ["A"] : []);
      expect(seen.feedback?.comments.map((comment) => comment.text) ?? null).toEqual(
        at(stage, "feedback") ? ["j1 on A"] : null,
      );
      expect(seen.feedback?.teamFeedback.map((one) => one.text) ?? null).toEqual(
        at(stage, "feedback") ? ["j1 to A"] : null,
      );
      expect(seen.ballots).toBeNull();
      expect(seen.manage).toBeNull();
      const other = view(viewers.studentB, stage);
      expect(other.feedback?.teamFeedback.map((one) => one.text) ?? null).toEqual(
        at(stage, "feedback") ? ["j1 to B"] : null,
      );
    });

    it(`shows the audience the decision and totals stage ${stage} releases, no paper and no feedback`, () => {
      const seen = view(viewers.audience, stage);
      expect(seen.decision !== null).toBe(at(stage, "decision"));
      expect(seen.scores?.teamTotals !== undefined).toBe(at(stage, "scores"));
      expect(seen.scores?.argumentMeans ?? {}).toEqual({});
      expect(seen.papers).toEqual([]);
      expect(seen.feedback).toBeNull();
      expect(seen.ballots).toBeNull();
      expect(seen.manage).toBeNull();
    });

    it(`refuses a judge whose own ballot is not in (${stage})`, () => {
      expect(projectResults(input(viewers.judgeDrafting, stage))).toEqual({
        ok: false,
        status: 403,
        reason: "Submit your own ballot first to see the others.",
      });
    });
  }

  it("leaves the audience swing out when the format has no audience vote", () => {
    const outcome = projectResults({ ...input(viewers.owner, "feedback"), audienceVote: false });
    expect(outcome.ok && outcome.view.audience).toBeNull();
  });
});
