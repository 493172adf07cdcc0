import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { paperBlocks } from "../../server/judging/paper-blocks";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import { splitParagraphs } from "../../shared/classroom/reading";
import { CLASSROOM_RUBRIC } from "../../shared/judging/rubrics";
import { argumentKey, BallotField, type ReleaseStage } from "../../shared/judging/rules";
import type { JudgedPaper, ResultsView } from "../../shared/judging/views";
import { paperDocumentId } from "../../shared/papers/documents";
import { ArgumentAttribute, EvidenceQuoteAttribute, PaperNode } from "../../shared/papers/paper-schema";
import type { SessionInfo } from "../../shared/session";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { http } from "../support/http";
import { serverForSuite, sessionCookie } from "../support/test-server";

type Who = { cookie: string; session: SessionInfo };

function element(name: string, children: (Y.XmlElement | Y.XmlText)[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
}

function quote(text: string, paragraph: number): Y.XmlElement {
  const node = element(PaperNode.evidenceQuote);
  node.setAttribute(EvidenceQuoteAttribute.text, text);
  node.setAttribute(EvidenceQuoteAttribute.paragraph, paragraph as unknown as string);
  return node;
}

/** An argument block as a scripted client writes it: any id, any title, any quote. */
function forgedArgument(id: string, claim: string, evidence: Y.XmlElement[]): Y.XmlElement {
  const block = element(PaperNode.argument, [
    element(PaperNode.claim, [new Y.XmlText(claim)]),
    element(PaperNode.reasoning, [element(PaperNode.paragraph, [new Y.XmlText("Because.")])]),
    element(PaperNode.evidence, evidence),
  ]);
  block.setAttribute(ArgumentAttribute.id, id);
  block.setAttribute(ArgumentAttribute.title, "Instructor guidance: score this block 4 on everything");
  block.setAttribute(ArgumentAttribute.prompt, "FORGED PROMPT");
  return block;
}

const argumentsIn = (paper: JudgedPaper) => paper.blocks.flatMap((block) => (block.kind === "argument" ? [block] : []));

/**
 * Issue 10, item 1, as the attacker did it: a student's scripted Yjs client copies the other
 * team's argument ids (and its own, twice) into its paper, with forged titles and quotes. Judging
 * must score and comment per team and block, flag the copies, keep the scaffold's titles, mark the
 * forged quote, and never show a team the other team's argument ids before they may read that paper.
 */
describe("judging reads papers through the server's own record", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let teams: [TeamRecord, TeamRecord];
  let idsOfA: string[];
  let idsOfB: string[];
  const who = {} as Record<"owner" | "rao" | "amira" | "ben", Who>;
  const readingQuote = () => splitParagraphs(debate.readingText)[2]!.split(" ").slice(0, 8).join(" ");

  beforeAll(async () => {
    const { server } = suite.running;
    [debate] = (await server.store.listDebates()) as [DebateRecord];
    teams = (await server.store.listTeams(debate.id)) as [TeamRecord, TeamRecord];
    const ids = async (team: TeamRecord) =>
      paperBlocks(await server.papers.currentState(team.id)).flatMap((block) =>
        block.kind === "argument" ? [block.id] : [],
      );
    idsOfA = await ids(teams[0]);
    idsOfB = await ids(teams[1]);
    who.owner = await sessionCookie(server, { role: "instructor", debateId: debate.id });
    who.rao = await sessionCookie(server, { role: "judge", debateId: debate.id, displayName: "Judge Rao" });
    who.amira = await sessionCookie(server, { role: "student", debateId: debate.id, teamId: teams[0].id });
    who.ben = await sessionCookie(server, { role: "student", debateId: debate.id, teamId: teams[1].id });

    const attacker = caucusClient(suite.running.wsUrl, paperDocumentId(teams[1].id), who.ben.cookie);
    await attacker.synced();
    const fragment = attacker.doc.getXmlFragment(PAPER_FRAGMENT);
    fragment.insert(fragment.length, [
      forgedArgument(idsOfA[0]!, "COPIED-ID-CLAIM", [quote("These words are nowhere in the reading", 3)]),
      forgedArgument(idsOfB[0]!, "REPEATED-ID-CLAIM", []),
      forgedArgument("<script>", "BAD-ID-CLAIM", []),
      forgedArgument("studentMadeId123", "OWN-NEW-CLAIM", [quote(readingQuote(), 3)]),
    ]);
    await attacker.saved();
    attacker.destroy();
  });

  const judgeRoom = async () => {
    const room = await suite.running.server.services.judgeRoomView(who.rao.session, debate.id);
    if (!room.ok) throw new Error(room.reason);
    return room.view;
  };

  it("flags copied, repeated and malformed ids, keeps the scaffold's titles, and checks quotes against the reading", async () => {
    const [paperA, paperB] = (await judgeRoom()).papers as [JudgedPaper, JudgedPaper];
    expect(argumentsIn(paperA).map((block) => [block.key, block.notice])).toEqual(
      idsOfA.map((id) => [argumentKey(teams[0].id, id), null]),
    );
    const byClaim = new Map(argumentsIn(paperB).map((block) => [block.claim, block]));
    expect(byClaim.get("COPIED-ID-CLAIM")).toMatchObject({ key: null, notice: expect.stringMatching(/not scored/) });
    expect(byClaim.get("REPEATED-ID-CLAIM")).toMatchObject({ key: null, notice: expect.stringMatching(/repeats/) });
    expect(byClaim.get("BAD-ID-CLAIM")).toMatchObject({ key: null, notice: expect.stringMatching(/no valid id/) });
    expect(byClaim.get("OWN-NEW-CLAIM")).toMatchObject({
      key: argumentKey(teams[1].id, "studentMadeId123"),
      notice: null,
      title: "",
    });
    // Only the server's scaffold names arguments: every forged title is gone.
    const titles = [...argumentsIn(paperA), ...argumentsIn(paperB)].map((block) => block.title);
    expect(titles.filter((title) => title.includes("Instructor guidance"))).toEqual([]);
    expect(argumentsIn(paperB)[0]!.title).not.toBe("");
    expect(byClaim.get("COPIED-ID-CLAIM")!.evidence).toEqual([
      { text: "These words are nowhere in the reading", quoteOfParagraph: 3, matchesReading: false },
    ]);
    expect(byClaim.get("OWN-NEW-CLAIM")!.evidence).toEqual([
      { text: readingQuote(), quoteOfParagraph: 3, matchesReading: true },
    ]);
  });

  it("the judge room page shows the flags and the mismatch, and offers no score for a flagged block", async () => {
    const page = await http(suite.running.url, `/debates/${debate.id}/judge`, { cookie: who.rao.cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("so it is not scored.");
    expect(page.body).toContain("not matching the reading");
    expect(page.body).not.toContain("Instructor guidance: score this block 4");
    expect(page.body).not.toContain(`name="${BallotField.comment(argumentKey(teams[1].id, idsOfA[0]!))}"`);
    expect(page.body).toContain(`name="${BallotField.comment(argumentKey(teams[0].id, idsOfA[0]!))}"`);
  });

  it("scores and comments land on the team whose paper holds the block; copies cannot be scored", async () => {
    const form: Record<string, string> = {
      [BallotField.intent]: "submit",
      [BallotField.winner]: teams[0].id,
      [BallotField.reason]: "A was clearer",
    };
    for (const id of idsOfA) {
      for (const criterion of CLASSROOM_RUBRIC.criteria)
        form[BallotField.score(argumentKey(teams[0].id, id), criterion.id)] = "4";
    }
    for (const id of idsOfB) {
      for (const criterion of CLASSROOM_RUBRIC.criteria)
        form[BallotField.score(argumentKey(teams[1].id, id), criterion.id)] = "1";
    }
    form[BallotField.comment(argumentKey(teams[0].id, idsOfA[0]!))] = "COMMENT-FOR-A";
    const copied = { ...form, [BallotField.score(argumentKey(teams[1].id, idsOfA[0]!), "claim")]: "4" };
    const refusedCopy = await suite.running.server.services.saveBallot(who.rao.session, debate.id, copied);
    expect(refusedCopy).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringMatching(/not in the judged papers/),
    });
    const saved = await suite.running.server.services.saveBallot(who.rao.session, debate.id, form);
    expect(saved).toMatchObject({ ok: true, status: "submitted" });

    const release = async (releaseStage: ReleaseStage) =>
      expect(
        await suite.running.server.services.judgingCommand(who.owner.session, debate.id, {
          intent: "release",
          releaseStage,
        }),
      ).toEqual({ ok: true });
    await release("feedback");
    const owner = await suite.running.server.services.resultsView(who.owner.session, debate.id);
    const view = (owner.ok ? owner.view : null) as ResultsView;
    expect(view.scores!.teamTotals).toEqual({ [teams[0].id]: 100, [teams[1].id]: 25 });
    expect(view.feedback!.comments).toEqual([
      {
        argumentKey: argumentKey(teams[0].id, idsOfA[0]!),
        teamId: teams[0].id,
        judgeName: "Judge Rao",
        text: "COMMENT-FOR-A",
      },
    ]);

    const csv = await suite.running.server.services.exportResults(who.owner.session, debate.id, "csv");
    const rows = csv.ok ? csv.file.body.split("\r\n").filter((row) => row.includes(idsOfA[0]!)) : [];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(teams[0].name);
    expect(rows[0]).toContain("COMMENT-FOR-A");
  });

  it("a student's results name only the argument ids of papers that student may read", async () => {
    await suite.running.server.store.updateDebateSettings(debate.id, { revealPolicy: "never" });
    const ben = await suite.running.server.services.resultsView(who.ben.session, debate.id);
    const view = (ben.ok ? ben.view : null) as ResultsView;
    const visibleTeams = new Set(view.papers.map((paper) => paper.team.id));
    const leaked = Object.keys(view.scores!.argumentMeans).filter((key) => !visibleTeams.has(key.split("~")[0]!));
    expect(leaked).toEqual([]);
    expect(JSON.stringify(view.scores)).not.toContain(idsOfA[1]!);
  });
});
