import { describe, expect, it } from "vitest";
import { type BallotForDecision, decidePanel } from "../../shared/judging/panel";
import {
  CLASSROOM_RUBRIC,
  type Rubric,
  rubricSchema,
  WORLD_SCHOOLS_RUBRIC,
  weightedScore,
} from "../../shared/judging/rubrics";

const descriptors = ["1", "2", "3", "4"];
/** Two criteria weighted 60/40, so every figure below can be checked by hand. */
const rubric: Rubric = rubricSchema.parse({
  id: "hand",
  name: "Hand-computed",
  criteria: [
    { id: "a", name: "A", weight: 60, descriptors },
    { id: "b", name: "B", weight: 40, descriptors },
  ],
});
const teams = ["rp", "dp"];
const argumentsOfTeams = [
  { key: "a1", teamId: "rp" },
  { key: "a2", teamId: "rp" },
  { key: "b1", teamId: "dp" },
];

// Weighted scores: J1 a1 80, a2 50, b1 75 · J2 a1 70, a2 50, b1 100 · J3 a1 75, a2 25, b1 50.
const chair: BallotForDecision = {
  judgeId: "j1",
  isChair: true,
  status: "submitted",
  winnerTeamId: "rp",
  scores: { a1: { a: 4, b: 2 }, a2: { a: 2, b: 2 }, b1: { a: 3, b: 3 } },
};
const second: BallotForDecision = {
  judgeId: "j2",
  isChair: false,
  status: "submitted",
  winnerTeamId: "dp",
  scores: { a1: { a: 2, b: 4 }, a2: { a: 2, b: 2 }, b1: { a: 4, b: 4 } },
};
const third: BallotForDecision = {
  judgeId: "j3",
  isChair: false,
  status: "submitted",
  winnerTeamId: "rp",
  scores: { a1: { a: 3, b: 3 }, a2: { a: 1, b: 1 }, b1: { a: 2, b: 2 } },
};

const decide = (ballots: BallotForDecision[]) => decidePanel(rubric, teams, argumentsOfTeams, ballots);

describe("panel decision", () => {
  it("weights criteria by their share of the total", () => {
    expect(weightedScore(rubric, { a: 4, b: 2 })).toBe(80);
    expect(weightedScore(rubric, { a: 4 })).toBeNull();
    expect(weightedScore(CLASSROOM_RUBRIC, { claim: 4, evidence: 4, reasoning: 4, rebuttal: 4, delivery: 4 })).toBe(
      100,
    );
    expect(weightedScore(WORLD_SCHOOLS_RUBRIC, { content: 2, style: 4, strategy: 1 })).toBe(20 + 40 + 5);
  });

  it("computes a 2–1 majority with team totals, criterion means and argument means", () => {
    const decision = decide([chair, second, third]);
    expect(decision.outcome).toEqual({ kind: "majority", winnerTeamId: "rp", split: "2–1" });
    expect(decision.votes).toEqual({ rp: 2, dp: 1 });
    expect(decision.teamTotals.rp).toBeCloseTo((65 + 60 + 50) / 3);
    expect(decision.teamTotals.dp).toBeCloseTo(75);
    expect(decision.argumentMeans).toEqual({ a1: 75, a2: 125 / 3, b1: 75 });
    expect(decision.criterionMeans.rp!.a).toBeCloseTo(14 / 6);
    expect(decision.criterionMeans.dp).toEqual({ a: 3, b: 3 });
  });

  it("calls a panel that agrees unanimous, including a panel of one", () => {
    expect(decide([chair, third]).outcome).toEqual({ kind: "unanimous", winnerTeamId: "rp", votes: 2 });
    expect(decide([second]).outcome).toEqual({ kind: "unanimous", winnerTeamId: "dp", votes: 1 });
  });

  it("breaks a 1–1 tie with the chair's casting vote", () => {
    expect(decide([chair, second]).outcome).toEqual({ kind: "casting-vote", winnerTeamId: "rp", split: "1–1" });
  });

  it("leaves a tie open when the chair abstained, and counts the abstention", () => {
    const decision = decide([{ ...chair, winnerTeamId: null }, second, third]);
    expect(decision.outcome).toEqual({ kind: "tied", teamIds: ["rp", "dp"], split: "1–1" });
    expect(decision.abstentions).toBe(1);
    expect(decision.teamTotals.dp).toBeCloseTo(75);
  });

  it("keeps an abstaining judge's scores but not their vote", () => {
    const decision = decide([chair, { ...second, winnerTeamId: null }]);
    expect(decision.outcome).toEqual({ kind: "unanimous", winnerTeamId: "rp", votes: 1 });
    expect(decision.argumentMeans.b1).toBe((75 + 100) / 2);
  });

  it("ignores a reopened ballot until it is submitted again, and a removed judge entirely", () => {
    const reopened = decide([chair, { ...second, status: "draft" }, third]);
    expect(reopened.outcome).toEqual({ kind: "unanimous", winnerTeamId: "rp", votes: 2 });
    expect(reopened.counted).toBe(2);
    expect(reopened.argumentMeans.b1).toBe((75 + 50) / 2);
    const withoutThird = decide([chair, second]);
    expect(withoutThird.counted).toBe(2);
  });

  it("says so when nobody has submitted or everybody abstained", () => {
    expect(decide([]).outcome).toEqual({ kind: "no-ballots" });
    expect(decide([{ ...chair, winnerTeamId: null }]).outcome).toEqual({ kind: "no-votes", abstentions: 1 });
    expect(decide([]).teamTotals).toEqual({ rp: null, dp: null });
  });

  it("rejects a rubric whose weights do not add up to 100", () => {
    const broken = { ...rubric, criteria: [{ id: "a", name: "A", weight: 50, descriptors }] };
    expect(rubricSchema.safeParse(broken).success).toBe(false);
  });
});
