import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { resultsCsv } from "../../server/judging/export";
import { paperBlocks } from "../../server/judging/paper-blocks";
import type { JudgingContext } from "../../server/judging/results-view";
import { scaffoldUpdate } from "../../server/papers/scaffold";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { CLASSROOM_RUBRIC } from "../../shared/judging/rubrics";
import {
  ABSTAIN,
  audienceSwing,
  BallotField,
  ballotFromFields,
  EMPTY_BALLOT,
  released,
  rubricFromFields,
} from "../../shared/judging/rules";
import { ArgumentAttribute, EvidenceQuoteAttribute, PaperNode } from "../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";

describe("ballot form", () => {
  it("reads scores, comments, vote, points, reason and feedback by their field names", () => {
    const parsed = ballotFromFields({
      [BallotField.intent]: "submit",
      [BallotField.score("tA~arg1", "claim")]: "3",
      [BallotField.score("tA~arg1", "evidence")]: "",
      [BallotField.comment("tA~arg1")]: "Good, cite the paragraph",
      [BallotField.comment("tA~arg2")]: "   ",
      [BallotField.winner]: "teamA",
      [BallotField.points("s1")]: "72",
      [BallotField.points("s2")]: "",
      [BallotField.reason]: "Clearer",
      [BallotField.feedback("teamB")]: "More evidence",
    });
    expect(parsed).toEqual({
      ok: true,
      intent: "submit",
      content: {
        scores: { "tA~arg1": { claim: 3 } },
        comments: { "tA~arg1": "Good, cite the paragraph" },
        winnerTeamId: "teamA",
        abstain: false,
        speakerPoints: { s1: 72 },
        reason: "Clearer",
        feedback: { teamB: "More evidence" },
      },
    });
  });

  it("reads an abstention, and refuses what it cannot read", () => {
    const abstain = ballotFromFields({ [BallotField.intent]: "save", [BallotField.winner]: ABSTAIN });
    expect(abstain.ok && abstain.content).toEqual({ ...EMPTY_BALLOT, abstain: true });
    expect(ballotFromFields({})).toEqual({ ok: false, reason: "Say whether to save or submit the ballot" });
    expect(ballotFromFields({ intent: "save", [BallotField.score("t~a", "claim")]: "0" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/levels run from 1 to 4/),
    });
    expect(ballotFromFields({ intent: "save", [BallotField.points("s")]: "59" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/from 60 to 80/),
    });
    expect(ballotFromFields({ intent: "save", [BallotField.comment("bad id!")]: "x" })).toMatchObject({ ok: false });
    // A bare argument id is not a key: a score must name the team whose paper holds the block.
    expect(ballotFromFields({ intent: "save", [BallotField.comment("arg1")]: "x" })).toMatchObject({ ok: false });
  });
});

describe("rubric editor form", () => {
  const row = (index: number, name: string, weight: string) => ({
    [`criterion-${index}-name`]: name,
    [`criterion-${index}-weight`]: weight,
    [`criterion-${index}-level-1`]: "one",
    [`criterion-${index}-level-2`]: "two",
    [`criterion-${index}-level-3`]: "three",
    [`criterion-${index}-level-4`]: "four",
  });

  it("makes a rubric from the filled rows, skipping blank ones", () => {
    const parsed = rubricFromFields({
      name: "Ours",
      ...row(0, "Depth of analysis", "70"),
      ...row(2, "2nd voice", "30"),
    });
    expect(parsed.ok && parsed.rubric.criteria.map((c) => [c.id, c.weight])).toEqual([
      ["depth-of-analysis", 70],
      ["c-2nd-voice", 30],
    ]);
  });

  it("names the problem: weights, missing descriptors, duplicate names", () => {
    expect(rubricFromFields({ name: "Ours", ...row(0, "Depth", "60") })).toEqual({
      ok: false,
      reason: "The rubric is not valid: rubric: Criterion weights must add up to 100",
    });
    const missing = rubricFromFields({ name: "Ours", ...row(0, "Depth", "100"), "criterion-0-level-3": "" });
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/criterion "Depth", descriptors/) });
    expect(rubricFromFields({ name: "Ours", ...row(0, "Depth", "50"), ...row(1, "depth", "50") })).toEqual({
      ok: false,
      reason: "The rubric is not valid: rubric: Criterion ids must be unique",
    });
  });
});

describe("release stages and the audience swing", () => {
  it("each stage includes the earlier ones", () => {
    expect(released("none", "decision")).toBe(false);
    expect(released("decision", "decision")).toBe(true);
    expect(released("decision", "scores")).toBe(false);
    expect(released("feedback", "scores")).toBe(true);
  });

  it("computes each side's share before and after, and the swing in points", () => {
    // Before: A 3 of 4 (75%), B 1 of 4 (25%). After: A 2 of 5 (40%), B 3 of 5 (60%).
    const votes = [
      ...["A", "A", "A", "B"].map((teamId) => ({ moment: "before" as const, teamId })),
      ...["A", "A", "B", "B", "B"].map((teamId) => ({ moment: "after" as const, teamId })),
    ];
    expect(audienceSwing(["A", "B"], votes)).toEqual([
      { teamId: "A", before: 3, after: 2, beforePercent: 75, afterPercent: 40, swing: -35 },
      { teamId: "B", before: 1, after: 3, beforePercent: 25, afterPercent: 60, swing: 35 },
    ]);
    expect(audienceSwing(["A"], [{ moment: "before", teamId: "A" }])[0]!.swing).toBeNull();
  });
});

describe("judged papers", () => {
  it("lists the scaffold's argument blocks with their ids and titles", () => {
    const side = ESSAY_PACK.sides[0]!;
    const blocks = paperBlocks(scaffoldUpdate(side));
    const argumentsFound = blocks.filter((block) => block.kind === "argument");
    expect(argumentsFound.map((block) => block.kind === "argument" && block.titleAttribute)).toEqual(
      side.arguments.map((argument) => argument.heading),
    );
    expect(new Set(argumentsFound.map((block) => block.kind === "argument" && block.id)).size).toBe(3);
    expect(blocks[0]).toEqual({ kind: "heading", text: "Thesis" });
  });

  it("reads a claim, reasoning and an evidence quote with its paragraph", () => {
    const doc = new Y.Doc();
    const element = (name: string, children: (Y.XmlElement | Y.XmlText)[] = []) => {
      const node = new Y.XmlElement(name);
      node.insert(0, children);
      return node;
    };
    const quote = element(PaperNode.evidenceQuote);
    quote.setAttribute(EvidenceQuoteAttribute.text, "Get the Article V guarantee first");
    quote.setAttribute(EvidenceQuoteAttribute.paragraph, 5 as unknown as string);
    const argument = element(PaperNode.argument, [
      element(PaperNode.claim, [new Y.XmlText("Guarantees first.")]),
      element(PaperNode.reasoning, [element(PaperNode.paragraph, [new Y.XmlText("Because credibility.")])]),
      element(PaperNode.evidence, [quote]),
    ]);
    argument.setAttribute(ArgumentAttribute.id, "arg1");
    doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [argument]);
    expect(paperBlocks(Y.encodeStateAsUpdate(doc))).toEqual([
      {
        kind: "argument",
        id: "arg1",
        titleAttribute: "",
        claim: "Guarantees first.",
        reasoning: ["Because credibility."],
        evidence: [{ text: "Get the Article V guarantee first", quoteOfParagraph: 5 }],
      },
    ]);
  });
});

describe("CSV export", () => {
  it("quotes commas and quotes, and defuses text a spreadsheet would run as a formula", () => {
    const team = { id: "A", sideIndex: 0, name: "Realpolitik", description: "", color: "#1d4ed8", docId: "paper.A" };
    const context = {
      debate: {},
      teams: [{ ...team, debateId: "d", paperLocked: true }],
      settings: { rubric: CLASSROOM_RUBRIC, customRubric: null, chairSessionId: "j1", releaseStage: "none" },
      papers: [
        {
          team,
          source: { kind: "live" },
          speakers: [
            { sessionId: "s1", name: "Amira" },
            { sessionId: "s2", name: "Ben" },
          ],
          blocks: [
            {
              kind: "argument",
              id: "arg1",
              key: "A~arg1",
              notice: null,
              title: 'The "limits"',
              claim: "",
              reasoning: [],
              evidence: [],
            },
          ],
        },
      ],
      ballots: [
        {
          judgeSessionId: "j1",
          debateId: "d",
          status: "submitted",
          updatedAt: 0,
          submittedAt: 0,
          content: {
            ...EMPTY_BALLOT,
            winnerTeamId: "A",
            scores: { "A~arg1": { claim: 4, evidence: 3, reasoning: 3, rebuttal: 2, delivery: 4 } },
            comments: { "A~arg1": "=HYPERLINK(1), then" },
            reason: "Guarantees first",
            feedback: { A: "Cite paragraphs" },
            speakerPoints: { s1: 75 },
          },
        },
        {
          judgeSessionId: "j2",
          debateId: "d",
          status: "draft",
          updatedAt: 0,
          submittedAt: null,
          content: EMPTY_BALLOT,
        },
      ],
      names: new Map([["j1", "Judge Rao"]]),
    } as unknown as JudgingContext;
    // Weighted: 20·4/4 + 25·3/4 + 25·3/4 + 20·2/4 + 10·4/4 = 20 + 18.75 + 18.75 + 10 + 10 = 77.5.
    expect(resultsCsv(context).split("\r\n")).toEqual([
      "judge,chair,vote,team,argument_id,argument,claim,evidence,reasoning,rebuttal,delivery,weighted_score,comment,reason,feedback,speaker_points",
      `Judge Rao,yes,Realpolitik,Realpolitik,arg1,"The ""limits""",4,3,3,2,4,77.5,"'=HYPERLINK(1), then",Guarantees first,Cite paragraphs,Amira: 75`,
      "",
    ]);
  });

  it("defuses formulas after any separator a spreadsheet may split on, and keeps such cells whole", () => {
    const team = { id: "A", sideIndex: 0, name: "x;=cmd()", description: "", color: "#1d4ed8", docId: "paper.A" };
    const context = {
      debate: {},
      teams: [{ ...team, debateId: "d", paperLocked: true }],
      settings: { rubric: CLASSROOM_RUBRIC, customRubric: null, chairSessionId: null, releaseStage: "none" },
      papers: [
        {
          team,
          source: { kind: "live" },
          speakers: [],
          blocks: [
            {
              kind: "argument",
              id: "arg1",
              key: "A~arg1",
              notice: null,
              title: "ok\t@SUM(A1)",
              claim: "",
              reasoning: [],
              evidence: [],
            },
          ],
        },
      ],
      ballots: [
        {
          judgeSessionId: "j1",
          debateId: "d",
          status: "submitted",
          updatedAt: 0,
          submittedAt: 0,
          content: { ...EMPTY_BALLOT, winnerTeamId: "A", comments: { "A~arg1": "fine, +1 from me" } },
        },
      ],
      names: new Map([["j1", "Judge; -2+3"]]),
    } as unknown as JudgingContext;
    const [, row] = resultsCsv(context).split("\r\n");
    expect(row).toBe(`"'Judge; -2+3",no,"'x;=cmd()","'x;=cmd()",arg1,"'ok\t@SUM(A1)",,,,,,,"'fine, +1 from me",,,`);
  });
});
