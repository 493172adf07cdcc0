import { beforeAll, describe, expect, it } from "vitest";
import { paperBlocks } from "../../server/judging/paper-blocks";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import { CLASSROOM_RUBRIC } from "../../shared/judging/rubrics";
import { ABSTAIN, argumentKey, BallotField, type ReleaseStage } from "../../shared/judging/rules";
import type { ResultsView } from "../../shared/judging/views";
import { OXFORD_FORMAT } from "../../shared/rounds/formats";
import type { SessionInfo } from "../../shared/session";
import { RoundEvent } from "../../shared/wire/events";
import { http } from "../support/http";
import { roundClient, serverForSuite, sessionCookie } from "../support/test-server";

/**
 * Judging end to end over HTTP: ballots, their privacy, staged release, reopening, a removed
 * judge, the audience vote. Every comment and reason typed here is a marker that must appear
 * exactly where the release stage allows it, and nowhere else.
 */
describe("judging", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let teams: TeamRecord[];
  let argumentIds: Record<string, string[]>;
  const who = {} as Record<
    "owner" | "rao" | "lee" | "amira" | "ben" | "audience",
    { cookie: string; session: SessionInfo }
  >;

  const MARKERS = {
    raoOnA: "RAO-COMMENT-ON-A",
    raoOnB: "RAO-COMMENT-ON-B",
    leeOnA: "LEE-COMMENT-ON-A",
    raoReason: "RAO-REASON",
    raoFeedbackB: "RAO-FEEDBACK-FOR-B",
  };

  function ballotForm(
    levels: [number, number],
    winner: string,
    comments: [string, string],
    extra: Record<string, string> = {},
  ) {
    const form: Record<string, string> = { [BallotField.intent]: "save", [BallotField.winner]: winner };
    teams.forEach((team, side) => {
      for (const argumentId of argumentIds[team.id]!) {
        for (const criterion of CLASSROOM_RUBRIC.criteria)
          form[BallotField.score(argumentId, criterion.id)] = String(levels[side]);
      }
      form[BallotField.comment(argumentIds[team.id]![0]!)] = comments[side]!;
    });
    return { ...form, ...extra };
  }

  const judge = (name: "rao" | "lee", form: Record<string, string>) =>
    http(suite.running.url, `/debates/${debate.id}/judge`, { cookie: who[name].cookie, form });
  const release = (stage: ReleaseStage) =>
    http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "release", releaseStage: stage },
    });
  const results = async (name: keyof typeof who): Promise<ResultsView | { refused: number }> => {
    const outcome = await suite.running.server.services.resultsView(who[name].session, debate.id);
    return outcome.ok ? outcome.view : { refused: outcome.status };
  };

  beforeAll(async () => {
    const { store } = suite.running.server;
    [debate] = (await store.listDebates()) as [DebateRecord];
    teams = await store.listTeams(debate.id);
    argumentIds = {};
    for (const team of teams) {
      argumentIds[team.id] = paperBlocks(await suite.running.server.papers.currentState(team.id)).flatMap((block) =>
        block.kind === "argument" ? [argumentKey(team.id, block.id)] : [],
      );
    }
    who.owner = await sessionCookie(suite.running.server, { role: "instructor", debateId: debate.id });
    who.rao = await sessionCookie(suite.running.server, {
      role: "judge",
      debateId: debate.id,
      displayName: "Judge Rao",
    });
    who.lee = await sessionCookie(suite.running.server, {
      role: "judge",
      debateId: debate.id,
      displayName: "Judge Lee",
    });
    who.amira = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate.id,
      teamId: teams[0]!.id,
      displayName: "Amira",
    });
    who.ben = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate.id,
      teamId: teams[1]!.id,
      displayName: "Ben",
    });
    who.audience = await sessionCookie(suite.running.server, { role: "audience", debateId: debate.id });
  });

  it("an instructor's custom rubric becomes the debate's rubric; judges see students by code name when asked", async () => {
    const rubricForm: Record<string, string> = { name: "Seminar" };
    [
      ["Depth", "70"],
      ["Sources", "30"],
    ].forEach(([name, weight], row) => {
      rubricForm[`criterion-${row}-name`] = name!;
      rubricForm[`criterion-${row}-weight`] = weight!;
      for (const level of [1, 2, 3, 4]) rubricForm[`criterion-${row}-level-${level}`] = `${name} level ${level}`;
    });
    const saved = await http(suite.running.url, `/debates/${debate.id}/rubric`, {
      cookie: who.owner.cookie,
      form: rubricForm,
    });
    expect(saved.status).toBe(302);
    const room = await suite.running.server.services.judgeRoomView(who.rao.session, debate.id);
    expect(room.ok && room.view.rubric.criteria.map((criterion) => [criterion.id, criterion.weight])).toEqual([
      ["depth", 70],
      ["sources", 30],
    ]);
    const owner = (await results("owner")) as ResultsView;
    expect(owner.manage?.rubricChoices.map((choice) => choice.id)).toEqual(["classroom", "world-schools", "custom"]);
    await http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "rubric", rubricId: "classroom" },
    });

    await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: who.owner.cookie,
      form: { intent: "code-names", codeNames: "on" },
    });
    const coded = await suite.running.server.services.judgeRoomView(who.rao.session, debate.id);
    expect(coded.ok && coded.view.rubric.id).toBe("classroom");
    expect(coded.ok && coded.view.papers.map((paper) => paper.speakers.map((speaker) => speaker.name))).toEqual([
      [`${teams[0]!.name} · Speaker 1`],
      [`${teams[1]!.name} · Speaker 1`],
    ]);
    await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: who.owner.cookie,
      form: { intent: "code-names", codeNames: "off" },
    });
  });

  it("refuses malformed and foreign ballots with a reason", async () => {
    const ok = ballotForm([3, 2], teams[0]!.id, [MARKERS.raoOnA, MARKERS.raoOnB]);
    const firstScore = Object.keys(ok).find((name) => name.startsWith("score:"))!;
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...ok, [firstScore]: "5" }, 400, /levels run from 1 to 4/],
      [
        { ...ok, [BallotField.score(argumentKey(teams[0]!.id, "not-an-argument"), "claim")]: "2" },
        400,
        /not in the judged papers/,
      ],
      // Team A's argument id under team B's key: a key names the paper as well as the block.
      [
        {
          ...ok,
          [BallotField.score(argumentKey(teams[1]!.id, argumentIds[teams[0]!.id]![0]!.split("~")[1]!), "claim")]: "2",
        },
        400,
        /not in the judged papers/,
      ],
      [{ ...ok, [BallotField.score(argumentIds[teams[0]!.id]![0]!, "charisma")]: "2" }, 400, /not a criterion/],
      [{ ...ok, [BallotField.winner]: "no-such-team" }, 400, /winner must be a team/],
      [{ ...ok, [BallotField.points(who.amira.session.id)]: "99" }, 400, /from 60 to 80/],
      [{ ...ok, [BallotField.points(who.lee.session.id)]: "70" }, 400, /student of this debate/],
      [{ ...ok, surprise: "x" }, 400, /Unknown field (&quot;|")surprise/],
      [{ ...ok, [BallotField.intent]: "submit", [BallotField.winner]: "" }, 400, /Choose the winning team/],
      [{ ...ok, [BallotField.intent]: "submit" }, 400, /reason for decision/],
    ];
    for (const [form, status, reason] of cases) {
      const answer = await judge("rao", form);
      expect(answer.status).toBe(status);
      expect(answer.body).toMatch(reason);
    }
    expect(await suite.running.server.store.getBallot(who.rao.session.id)).toBeUndefined();
  });

  it("keeps other ballots from a judge until their own is submitted, and from students always", async () => {
    expect((await judge("rao", ballotForm([4, 2], teams[0]!.id, [MARKERS.raoOnA, MARKERS.raoOnB]))).status).toBe(200);
    for (const path of ["results", "results.csv", "results.json"]) {
      expect((await http(suite.running.url, `/debates/${debate.id}/${path}`, { cookie: who.rao.cookie })).status).toBe(
        403,
      );
    }
    const submit = ballotForm([4, 2], teams[0]!.id, [MARKERS.raoOnA, MARKERS.raoOnB], {
      [BallotField.intent]: "submit",
      [BallotField.reason]: MARKERS.raoReason,
      [BallotField.feedback(teams[1]!.id)]: MARKERS.raoFeedbackB,
      [BallotField.points(who.amira.session.id)]: "74",
    });
    expect((await judge("rao", submit)).status).toBe(200);
    // Submitted: locked against the judge's own changes, and the others' ballots are open to them.
    const again = await judge("rao", submit);
    expect(again.status).toBe(409);
    expect(again.body).toMatch(/the instructor can reopen it/);
    for (const path of ["results", "results.csv", "results.json"]) {
      expect((await http(suite.running.url, `/debates/${debate.id}/${path}`, { cookie: who.rao.cookie })).status).toBe(
        200,
      );
    }
    // Lee has a draft only: still refused everywhere, and no route gives a student the ballots.
    expect((await judge("lee", ballotForm([1, 3], teams[1]!.id, [MARKERS.leeOnA, ""]))).status).toBe(200);
    for (const path of ["results", "results.csv", "results.json"]) {
      expect((await http(suite.running.url, `/debates/${debate.id}/${path}`, { cookie: who.lee.cookie })).status).toBe(
        403,
      );
    }
    for (const stage of ["none", "feedback"] as const) {
      await release(stage);
      for (const name of ["amira", "ben", "audience"] as const) {
        for (const path of ["results.csv", "results.json"]) {
          expect(
            (await http(suite.running.url, `/debates/${debate.id}/${path}`, { cookie: who[name].cookie })).status,
          ).toBe(403);
        }
      }
    }
    await release("none");
  });

  it("no socket.io event carries a ballot", async () => {
    const socket = roundClient(suite.running.url, who.amira.cookie);
    const answer = await socket.emitWithAck(RoundEvent.subscribe, { debateId: debate.id });
    expect(answer.ok).toBe(true);
    const carried = JSON.stringify(answer);
    for (const marker of Object.values(MARKERS)) expect(carried).not.toContain(marker);
    socket.close();
  });

  it("release stages reveal exactly what they name, to each role", async () => {
    const lee = ballotForm([1, 3], teams[1]!.id, [MARKERS.leeOnA, ""], {
      [BallotField.intent]: "submit",
      [BallotField.reason]: "LEE-REASON",
    });
    expect((await judge("lee", lee)).status).toBe(200);
    await http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "chair", chairSessionId: who.rao.session.id },
    });

    const page = async (name: "amira" | "ben" | "audience") =>
      (await http(suite.running.url, `/debates/${debate.id}/results`, { cookie: who[name].cookie })).body;

    await release("none");
    for (const name of ["amira", "ben", "audience"] as const) {
      const view = (await results(name)) as ResultsView;
      expect([view.decision, view.scores, view.feedback, view.ballots, view.manage]).toEqual([
        null,
        null,
        null,
        null,
        null,
      ]);
      expect(view.papers).toEqual([]);
      const html = await page(name);
      expect(html).toContain("The results are not released yet.");
      for (const marker of Object.values(MARKERS)) expect(html).not.toContain(marker);
    }

    await release("decision");
    const decided = (await results("amira")) as ResultsView;
    expect(decided.decision?.outcome).toEqual({ kind: "casting-vote", winnerTeamId: teams[0]!.id, split: "1–1" });
    expect(decided.decision?.chairName).toBe("Judge Rao");
    expect([decided.scores, decided.feedback, decided.ballots]).toEqual([null, null, null]);
    expect(decided.papers).toEqual([]);
    for (const marker of Object.values(MARKERS)) expect(await page("amira")).not.toContain(marker);

    await release("scores");
    const scored = (await results("amira")) as ResultsView;
    // Weighted scores: Rao gives side A 100 and side B 50, Lee side A 25 and side B 75.
    expect(scored.scores?.teamTotals).toEqual({ [teams[0]!.id]: 62.5, [teams[1]!.id]: 62.5 });
    expect(scored.feedback).toBeNull();
    expect(scored.papers.map((paper) => paper.team.id)).toEqual([teams[0]!.id]);
    for (const marker of Object.values(MARKERS)) expect(await page("amira")).not.toContain(marker);

    await release("feedback");
    const amira = (await results("amira")) as ResultsView;
    expect(amira.feedback?.comments.map((comment) => comment.text).sort()).toEqual([MARKERS.leeOnA, MARKERS.raoOnA]);
    expect(amira.feedback?.teamFeedback).toEqual([]);
    const amiraPage = await page("amira");
    expect(amiraPage).toContain(MARKERS.raoOnA);
    expect(amiraPage).not.toContain(MARKERS.raoOnB);
    expect(amiraPage).not.toContain(MARKERS.raoFeedbackB);
    const ben = (await results("ben")) as ResultsView;
    expect(ben.feedback?.comments.map((comment) => comment.text)).toEqual([MARKERS.raoOnB]);
    expect(ben.feedback?.teamFeedback.map((item) => item.text)).toEqual([MARKERS.raoFeedbackB]);
    expect(await page("ben")).not.toContain(MARKERS.raoOnA);
    const audience = (await results("audience")) as ResultsView;
    expect(audience.feedback).toBeNull();
    expect(audience.ballots).toBeNull();
    expect(audience.decision).not.toBeNull();
  });

  it("a reopened ballot leaves the decision until it is submitted again; a removed judge's ballot is gone", async () => {
    const reopen = await http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "reopen", judgeSessionId: who.lee.session.id },
    });
    expect(reopen.status).toBe(200);
    let owner = (await results("owner")) as ResultsView;
    expect(owner.decision?.outcome).toEqual({ kind: "unanimous", winnerTeamId: teams[0]!.id, votes: 1 });
    expect(await results("lee")).toEqual({ refused: 403 });
    const resubmit = ballotForm([1, 3], ABSTAIN, [MARKERS.leeOnA, ""], {
      [BallotField.intent]: "submit",
      [BallotField.reason]: "Too close to call",
    });
    expect((await judge("lee", resubmit)).status).toBe(200);
    owner = (await results("owner")) as ResultsView;
    expect(owner.decision?.abstentions).toBe(1);
    expect(owner.decision?.outcome).toEqual({ kind: "unanimous", winnerTeamId: teams[0]!.id, votes: 1 });

    const removed = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: who.owner.cookie,
      form: { intent: "remove", sessionId: who.rao.session.id },
    });
    expect(removed.status).toBe(200);
    owner = (await results("owner")) as ResultsView;
    expect(owner.decision?.outcome).toEqual({ kind: "no-votes", abstentions: 1 });
    expect(owner.ballots?.map((ballot) => ballot.judgeName)).toEqual(["Judge Lee"]);
  });

  it("Oxford style: the audience votes before and after the round; the swing is shown beside the decision", async () => {
    expect((await suite.running.server.rounds.changeFormat(who.owner.session, debate.id, OXFORD_FORMAT.id)).ok).toBe(
      true,
    );
    const vote = (teamId: string) =>
      http(suite.running.url, `/debates/${debate.id}/vote`, { cookie: who.audience.cookie, form: { teamId } });
    expect(
      (await http(suite.running.url, `/debates/${debate.id}/vote`, { cookie: who.audience.cookie })).body,
    ).toContain("Vote before the round");
    expect((await vote(teams[0]!.id)).status).toBe(200);
    expect((await vote("no-such-team")).status).toBe(400);

    const socket = roundClient(suite.running.url, who.owner.cookie);
    const last = OXFORD_FORMAT.phases.length - 1;
    for (const command of [{ type: "jump", phaseIndex: last }, { type: "next" }] as const) {
      expect((await socket.emitWithAck(RoundEvent.command, { debateId: debate.id, command })).ok).toBe(true);
    }
    socket.close();
    expect(
      (await http(suite.running.url, `/debates/${debate.id}/vote`, { cookie: who.audience.cookie })).body,
    ).toContain("Vote after the round");
    expect((await vote(teams[1]!.id)).status).toBe(200);

    const view = (await results("audience")) as ResultsView;
    expect(view.decision).not.toBeNull();
    expect(view.audience?.map((side) => [side.beforePercent, side.afterPercent, side.swing])).toEqual([
      [100, 0, -100],
      [0, 100, 100],
    ]);
    expect(
      await http(suite.running.url, `/debates/${debate.id}/results`, { cookie: who.audience.cookie }),
    ).toMatchObject({
      body: expect.stringContaining("+100 points"),
    });
  });

  it("the rubric cannot change once judges have scored; a custom rubric is checked", async () => {
    const change = await http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "rubric", rubricId: "world-schools" },
    });
    expect(change.status).toBe(409);
    const unknown = await http(suite.running.url, `/debates/${debate.id}/results`, {
      cookie: who.owner.cookie,
      form: { intent: "release", releaseStage: "everything" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain("Not a judging setting: releaseStage");
    const bad = await http(suite.running.url, `/debates/${debate.id}/rubric`, {
      cookie: who.owner.cookie,
      form: { name: "Ours", "criterion-0-name": "Depth", "criterion-0-weight": "60" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/The rubric is not valid/);
  });
});
