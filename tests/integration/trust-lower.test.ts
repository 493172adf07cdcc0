import { beforeAll, describe, expect, it } from "vitest";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { OXFORD_FORMAT } from "../../shared/rounds/formats";
import { ROUND_LOG_PAGE_SIZE } from "../../shared/rounds/views";
import { RoundEvent } from "../../shared/wire/events";
import { http } from "../support/http";
import { probePaper } from "../support/raw-probe";
import { roundClient, serverForSuite, sessionCookie } from "../support/test-server";

/**
 * Issue 10, item 8, as the attacker did it: stuffed audience votes, an archived debate that still
 * took votes and edits, and a round log anyone could fill.
 */
describe("lower trust boundaries", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let teams: TeamRecord[];
  let owner: Awaited<ReturnType<typeof sessionCookie>>;

  beforeAll(async () => {
    [debate] = (await suite.running.server.store.listDebates()) as [DebateRecord];
    teams = await suite.running.server.store.listTeams(debate.id);
    owner = await sessionCookie(suite.running.server, { role: "instructor", debateId: debate.id });
    expect((await suite.running.server.rounds.changeFormat(owner.session, debate.id, OXFORD_FORMAT.id)).ok).toBe(true);
  });

  it("20 votes stuffed from one browser count once", async () => {
    const browser = (await http(suite.running.url, "/join")).clientCookie!;
    for (let attempt = 0; attempt < 20; attempt++) {
      // Each time without the session cookie, as a script dropping it would.
      const watched = await http(suite.running.url, `/watch/${debate.audienceKey}`, { cookie: browser });
      expect(watched.status).toBe(302);
      const voted = await http(suite.running.url, `/debates/${debate.id}/vote`, {
        cookie: `${browser}; ${watched.sessionCookie}`,
        form: { teamId: teams[0]!.id },
      });
      expect(voted.status).toBeLessThan(400);
    }
    expect(await suite.running.server.store.listAudienceVotes(debate.id)).toHaveLength(1);
  });

  it("a refused round command from a stranger leaves no trace; a participant's are recorded a few a minute", async () => {
    await suite.running.server.store.createAccount({
      id: "other-account",
      name: "Other",
      email: "other@example.test",
      passwordHash: "scrypt$test",
    });
    await suite.running.server.store.createAccountSession("other-session", "other-account");
    const outsider = `${suite.running.server.cookies.serialize("other-session").split(";")[0]}`;
    const student = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate.id,
      teamId: teams[0]!.id,
    });
    const before = (await suite.running.server.store.listRoundAudit(debate.id)).length;
    for (const cookie of [outsider, student.cookie]) {
      const socket = roundClient(suite.running.url, cookie);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          socket.emitWithAck(RoundEvent.command, { debateId: debate.id, command: { type: "next" } }),
        ),
      );
      expect(answers.every((answer) => !answer.ok)).toBe(true);
      socket.close();
    }
    const written = (await suite.running.server.store.listRoundAudit(debate.id)).slice(before);
    expect(written.map((entry) => entry.sessionId)).toEqual(Array(5).fill(student.session.id));
  });

  it("the round log is read a page at a time", async () => {
    const { store } = suite.running.server;
    for (let index = 0; index < ROUND_LOG_PAGE_SIZE * 2; index++) {
      await store.commitRoundCommand(
        {
          debateId: debate.id,
          sessionId: owner.session.id,
          actorName: "Ms Okafor",
          command: { type: "pause" },
          phaseIndex: 0,
          serverTime: Date.now(),
          outcome: "refused",
          reason: `Entry ${index}`,
        },
        null,
      );
    }
    const first = await suite.running.server.services.roundLogView(owner.session, debate.id, 1);
    if (!first.ok) throw new Error(first.reason);
    expect(first.view.entries).toHaveLength(ROUND_LOG_PAGE_SIZE);
    expect(first.view.entries[0]?.reason).toBe(`Entry ${ROUND_LOG_PAGE_SIZE * 2 - 1}`);
    expect(first.view.pageCount).toBe(3);
    const page = await http(suite.running.url, `/debates/${debate.id}/round-log?page=3`, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Page 3 of 3");
  });

  it("an archived debate refuses audience votes and paper edits, for the instructor too", async () => {
    const archived = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: owner.cookie,
      form: { intent: "archive", archived: "yes" },
    });
    expect(archived.status).toBe(200);
    const audience = await http(suite.running.url, `/watch/${debate.audienceKey}`);
    const vote = await http(suite.running.url, `/debates/${debate.id}/vote`, {
      cookie: audience.sessionCookie,
      form: { teamId: teams[1]!.id },
    });
    expect(vote.status).toBe(409);
    const student = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate.id,
      teamId: teams[0]!.id,
    });
    const url = `${suite.running.wsUrl}/yjs/${paperDocumentId(teams[0]!.id)}`;
    for (const cookie of [student.cookie, owner.cookie]) {
      expect(await probePaper(url, cookie, "EDIT-AFTER-ARCHIVE")).toMatchObject({
        kind: "open",
        notice: { access: "read", reason: "This debate is archived: its papers are read-only" },
        editAnswer: "refused",
      });
    }
  });
});
