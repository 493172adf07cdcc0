import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { DebateRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { RoundEvent } from "../../shared/wire/events";
import { CloseCode } from "../../shared/wire/protocol";
import { http } from "../support/http";
import { eventually, roundClient, serverForSuite, yjsClient } from "../support/test-server";

describe("the classroom flow over HTTP", () => {
  const suite = serverForSuite({ pages: "build" });
  let instructor: string;

  async function newEssayDebate(): Promise<DebateRecord> {
    const created = await http(suite.running.url, "/debates?index", { cookie: instructor, form: {} });
    expect(created.status).toBe(302);
    return (await suite.running.server.store.getDebate(created.location!.split("/")[2]!))!;
  }

  async function control(debate: DebateRecord, form: Record<string, string>) {
    return http(suite.running.url, `/debates/${debate.id}/control`, { cookie: instructor, form });
  }

  async function join(code: string, name: string, cookie?: string) {
    return http(suite.running.url, "/join", { cookie, form: { code, name } });
  }

  beforeAll(async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
    });
    expect(signUp.status).toBe(302);
    instructor = signUp.sessionCookie!;
  });

  it("the first account claims the debate seeded on first start", async () => {
    const [seeded] = await suite.running.server.store.listDebates();
    const dashboard = await http(suite.running.url, "/debates", { cookie: instructor });
    expect(dashboard.body).toContain(seeded!.title);
    expect((await suite.running.server.store.getDebate(seeded!.id))!.ownerId).not.toBeNull();
  });

  it("signs up once per email, logs in and out, and rate-limits failed log-ins", async () => {
    const again = await http(suite.running.url, "/signup", {
      form: { name: "X", email: "OKAFOR@example.test", password: "a long enough password" },
    });
    expect(again.status).toBe(409);
    const short = await http(suite.running.url, "/signup", {
      form: { name: "X", email: "x@example.test", password: "short" },
    });
    expect(short.status).toBe(400);
    expect(short.body).toContain("at least 10 characters");

    const login = await http(suite.running.url, "/login", {
      form: { email: "okafor@example.test", password: "a long enough password" },
    });
    expect(login.status).toBe(302);
    const logout = await http(suite.running.url, "/logout", { cookie: login.sessionCookie, form: {} });
    expect(logout.status).toBe(302);
    expect((await http(suite.running.url, "/debates", { cookie: login.sessionCookie })).location).toBe("/login");

    const wrong = { email: "okafor@example.test", password: "not the password" };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++)
      statuses.push((await http(suite.running.url, "/login", { form: wrong })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await http(suite.running.url, "/login", {
      form: { email: "okafor@example.test", password: "a long enough password" },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toContain("Too many failed log-ins. Try again in");
  });

  it("changing the password logs the account out elsewhere and stores only a scrypt hash", async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Mr Lee", email: "lee@example.test", password: "first password here" },
    });
    const elsewhere = await http(suite.running.url, "/login", {
      form: { email: "lee@example.test", password: "first password here" },
    });
    const changed = await http(suite.running.url, "/account", {
      cookie: signUp.sessionCookie,
      form: { currentPassword: "first password here", newPassword: "second password here" },
    });
    expect(changed.status).toBe(200);
    expect((await http(suite.running.url, "/debates", { cookie: elsewhere.sessionCookie })).status).toBe(302);
    expect((await http(suite.running.url, "/debates", { cookie: signUp.sessionCookie })).status).toBe(200);
    const account = await suite.running.server.store.findAccountByEmail("lee@example.test");
    expect(account!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(account!.passwordHash).not.toContain("second password here");
  });

  it("30 students behind one address join within a minute; auto-balance fills the teams evenly", async () => {
    const debate = await newEssayDebate();
    expect((await control(debate, { intent: "team-mode", teamMode: "balance" })).status).toBe(200);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => join(debate.studentCode.toLowerCase(), `Student ${index + 1}`)),
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(302));
    const participants = await suite.running.server.store.listParticipants(debate.id);
    const teams = await suite.running.server.store.listTeams(debate.id);
    for (const team of teams) {
      expect(participants.filter((session) => session.teamId === team.id)).toHaveLength(15);
    }
  });

  it("slows a burst of wrong codes, then refuses it with a clear message, while correct joins keep working", async () => {
    const debate = await newEssayDebate();
    const browser = (await http(suite.running.url, "/join")).clientCookie!;
    const timings: { status: number; ms: number }[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const started = Date.now();
      const answer = await join("WRONG2", "Guesser", browser);
      timings.push({ status: answer.status, ms: Date.now() - started });
      if (answer.status === 429) expect(answer.body).toContain("Too many wrong join codes from here. Wait");
      if (answer.status === 400) expect(answer.body).toContain("No debate has that join code");
      const classmate = await join(debate.studentCode, `Classmate ${attempt}`);
      expect(classmate.status).toBe(302);
    }
    expect(timings.map((timing) => timing.status)).toEqual([...Array(10).fill(400), 429]);
    expect(Math.max(...timings.slice(0, 5).map((timing) => timing.ms))).toBeLessThan(250);
    expect(timings[9]!.ms).toBeGreaterThanOrEqual(1500);
    expect((await join(debate.studentCode, "Guesser", browser)).status).toBe(429);
  });

  it("a returning student on the same browser resumes as the same person", async () => {
    const debate = await newEssayDebate();
    const first = await join(debate.studentCode, "Amira");
    const again = await join(debate.studentCode, "Amira", first.sessionCookie!);
    expect(again.status).toBe(302);
    expect(again.sessionCookie).toBeNull();
    expect(await suite.running.server.store.listParticipants(debate.id)).toHaveLength(1);
  });

  it("rotating a code retires the old one", async () => {
    const debate = await newEssayDebate();
    await control(debate, { intent: "rotate-code", which: "student" });
    const rotated = (await suite.running.server.store.getDebate(debate.id))!;
    expect(rotated.studentCode).not.toBe(debate.studentCode);
    expect(rotated.studentCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect((await join(debate.studentCode, "Late")).status).toBe(400);
    expect((await join(rotated.studentCode, "Late")).status).toBe(302);
  });

  it("moving a student re-decides their paper access; removing one cuts /yjs and socket.io at once", async () => {
    const debate = await newEssayDebate();
    const [teamA, teamB] = await suite.running.server.store.listTeams(debate.id);
    const joined = await join(debate.studentCode, "Ben");
    const cookie = joined.sessionCookie!;
    await http(suite.running.url, `/debates/${debate.id}?index`, { cookie, form: { teamId: teamA!.id } });
    const [ben] = await suite.running.server.store.listParticipants(debate.id);

    const paper = yjsClient(suite.running.wsUrl, paperDocumentId(teamA!.id), cookie);
    await paper.synced();
    const socket = roundClient(suite.running.url, cookie);
    expect((await socket.emitWithAck(RoundEvent.subscribe, { debateId: debate.id })).ok).toBe(true);

    const closes: number[] = [];
    paper.provider.ws?.addEventListener("close", (event) => closes.push(event.code));
    expect((await control(debate, { intent: "move", sessionId: ben!.id, teamId: teamB!.id })).status).toBe(200);
    await eventually(() => closes.includes(CloseCode.forbidden), 3000, "the old team's paper to close");
    paper.destroy();

    const newPaper = yjsClient(suite.running.wsUrl, paperDocumentId(teamB!.id), cookie);
    await newPaper.synced();
    const cut: number[] = [];
    newPaper.provider.ws?.addEventListener("close", (event) => cut.push(event.code));
    let disconnected = false;
    socket.on("disconnect", () => {
      disconnected = true;
    });
    expect((await control(debate, { intent: "remove", sessionId: ben!.id })).status).toBe(200);
    await eventually(() => cut.includes(CloseCode.noSession) && disconnected, 3000, "Ben's connections to be cut");
    newPaper.destroy();
    socket.close();
    expect((await http(suite.running.url, `/debates/${debate.id}`, { cookie })).status).toBe(302);
  });

  it("assign mode: a student waits until the instructor puts them on a team; presence shows typing", async () => {
    const debate = await newEssayDebate();
    const [team] = await suite.running.server.store.listTeams(debate.id);
    await control(debate, { intent: "team-mode", teamMode: "assign" });
    const cookie = (await join(debate.studentCode, "Eli")).sessionCookie!;
    expect((await http(suite.running.url, `/debates/${debate.id}`, { cookie })).body).toContain(
      "Waiting for your team",
    );
    const picked = await http(suite.running.url, `/debates/${debate.id}?index`, { cookie, form: { teamId: team!.id } });
    expect(picked.status).toBe(403);
    const [eli] = await suite.running.server.store.listParticipants(debate.id);
    await control(debate, { intent: "move", sessionId: eli!.id, teamId: team!.id });
    expect((await http(suite.running.url, `/debates/${debate.id}`, { cookie })).body).not.toContain(
      "Waiting for your team",
    );
    expect((await suite.running.server.store.getSession(eli!.id))!.teamId).toBe(team!.id);

    const before = await http(suite.running.url, `/debates/${debate.id}/control`, { cookie: instructor });
    expect(before.body).toContain('<span class="presence">offline</span>');
    const paper = yjsClient(suite.running.wsUrl, paperDocumentId(team!.id), cookie);
    await paper.synced();
    paper.doc.getXmlFragment("default").insert(0, [new Y.XmlText("Typing now")]);
    await eventually(() => suite.running.server.yjs.registry.loadedCount > 0, 3000);
    await eventually(() => paper.provider.synced, 3000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await http(suite.running.url, `/debates/${debate.id}/control`, { cookie: instructor });
    expect(during.body).toContain('<span class="presence typing">typing</span>');
    paper.destroy();
  });

  it("renames a student; code names number students per team", async () => {
    const debate = await newEssayDebate();
    await control(debate, { intent: "team-mode", teamMode: "balance" });
    await join(debate.studentCode, "Chloé");
    const [chloe] = await suite.running.server.store.listParticipants(debate.id);
    await control(debate, { intent: "rename", sessionId: chloe!.id, name: "Chloe M." });
    const page = await http(suite.running.url, `/debates/${debate.id}/control`, { cookie: instructor });
    expect(page.body).toContain("Chloe M.");
    expect(page.body).toContain("Realpolitik · Speaker 1");
  });

  it("bulk moves and removals are all or nothing; debates are renamed and essay copies numbered; a removed student is told why", async () => {
    const debate = await newEssayDebate();
    const other = await newEssayDebate();
    expect(other.title).toMatch(/ \(\d+\)$/);
    expect(other.title).not.toBe(debate.title);
    const cookies: string[] = [];
    for (const name of ["Ana", "Bo", "Cy"]) cookies.push((await join(debate.studentCode, name)).sessionCookie!);
    await join(other.studentCode, "Outsider");
    const [teamA, teamB] = await suite.running.server.store.listTeams(debate.id);
    const mine = await suite.running.server.store.listParticipants(debate.id);
    const [outsider] = await suite.running.server.store.listParticipants(other.id);
    const ids = mine.map((person) => person.id);

    const mixed = await control(debate, {
      intent: "move-many",
      sessionIds: [...ids, outsider!.id].join(","),
      teamId: teamA!.id,
    });
    expect(mixed.status).toBe(404);
    // Nobody moved: the teams are still those the balanced assignment gave on joining.
    expect((await suite.running.server.store.listParticipants(debate.id)).map((person) => person.teamId)).toEqual(
      mine.map((person) => person.teamId),
    );
    expect((await control(debate, { intent: "move-many", sessionIds: ids.join(","), teamId: teamB!.id })).status).toBe(
      200,
    );
    for (const person of await suite.running.server.store.listParticipants(debate.id))
      expect(person.teamId).toBe(teamB!.id);
    expect((await control(debate, { intent: "remove-many", sessionIds: "" })).status).toBe(400);
    expect((await control(debate, { intent: "remove-many", sessionIds: ids.slice(0, 2).join(",") })).status).toBe(200);
    expect((await suite.running.server.store.listParticipants(debate.id)).map((person) => person.displayName)).toEqual([
      "Cy",
    ]);

    const removedRoom = await http(suite.running.url, `/debates/${debate.id}`, { cookie: cookies[0] });
    expect(removedRoom.location).toBe("/join?ended=1");
    expect((await http(suite.running.url, "/join?ended=1")).body).toContain("You are no longer in that debate");
    expect((await http(suite.running.url, `/debates/${debate.id}`)).location).toBe("/join");

    expect((await control(debate, { intent: "rename-debate", title: "  Period 3  " })).status).toBe(200);
    expect((await suite.running.server.store.getDebate(debate.id))!.title).toBe("Period 3");
    expect((await control(debate, { intent: "rename-debate", title: " " })).status).toBe(400);
  });

  it("creates a custom debate with a Markdown reading: headings kept (unnumbered), no HTML, link text kept", async () => {
    const created = await http(suite.running.url, "/debates/new", {
      cookie: instructor,
      form: {
        title: "School uniforms",
        motion: "This house would abolish school uniforms.",
        sideName: "Abolish",
        sideDescription: "Uniforms cost families money.",
        readingTitle: "Notes",
        reading: "# Costs\n\nUniforms **cost** money. <script>alert(1)</script>\n\nSee [the report](https://x.test).",
        formatId: "classroom",
      },
    });
    expect(created.status).toBe(400);
    expect(created.body).toContain("A debate needs at least two sides.");

    const form = new URLSearchParams({
      title: "School uniforms",
      motion: "This house would abolish school uniforms.",
      readingTitle: "Notes",
      reading: "# Costs\n\nUniforms **cost** money. <script>alert(1)</script>\n\nSee [the report](https://x.test).",
      formatId: "classroom",
    });
    for (const side of ["Abolish", "Keep"]) {
      form.append("sideName", side);
      form.append("sideDescription", `${side} them.`);
    }
    const response = await fetch(`${suite.running.url}/debates/new`, {
      method: "POST",
      headers: { cookie: instructor, origin: suite.running.url },
      body: form,
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    const debateId = response.headers.get("location")!.split("/")[2]!;
    const debate = (await suite.running.server.store.getDebate(debateId))!;
    expect(debate.readingText).toBe("# Costs\n\nUniforms cost money. alert(1)\n\nSee the report.");
    expect((await suite.running.server.store.listTeams(debateId)).map((team) => team.name)).toEqual([
      "Abolish",
      "Keep",
    ]);
  });

  it("an archived debate takes no new joins", async () => {
    const debate = await newEssayDebate();
    await control(debate, { intent: "archive", archived: "yes" });
    const refused = await join(debate.studentCode, "Late");
    expect(refused.status).toBe(410);
    expect(refused.body).toContain("archived");
  });

  it("deleting a debate leaves no row or document of it in the store", async () => {
    const debate = await newEssayDebate();
    const teams = await suite.running.server.store.listTeams(debate.id);
    const joined = await join(debate.studentCode, "Dana");
    const cookie = joined.sessionCookie!;
    await http(suite.running.url, `/debates/${debate.id}?index`, { cookie, form: { teamId: teams[0]!.id } });
    const judge = await join(debate.judgeCode, "Judge Judy");
    await http(suite.running.url, `/watch/${debate.audienceKey}`);
    // Judging rows too: settings, a draft ballot, an audience vote.
    expect(
      (
        await http(suite.running.url, `/debates/${debate.id}/judge`, {
          cookie: judge.sessionCookie,
          form: { intent: "save", reason: "so far" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http(suite.running.url, `/debates/${debate.id}/results`, {
          cookie: instructor,
          form: { intent: "release", releaseStage: "decision" },
        })
      ).status,
    ).toBe(200);
    const viewer = (await suite.running.server.store.listParticipants(debate.id)).find(
      (session) => session.role === "audience",
    )!;
    await suite.running.server.store.saveAudienceVote({
      sessionId: viewer.id,
      moment: "before",
      debateId: debate.id,
      teamId: teams[0]!.id,
      votedAt: Date.now(),
    });

    const paper = yjsClient(suite.running.wsUrl, paperDocumentId(teams[0]!.id), cookie);
    await paper.synced();
    paper.doc.getXmlFragment("default").insert(0, [new Y.XmlText("Our thesis")]);
    await eventually(() => paper.provider.synced, 3000);
    await suite.running.server.papers.lock(teams[0]!.id, "submitted");
    const socket = roundClient(suite.running.url, instructor);
    expect((await socket.emitWithAck(RoundEvent.command, { debateId: debate.id, command: { type: "start" } })).ok).toBe(
      true,
    );
    socket.close();
    const closes: number[] = [];
    paper.provider.ws?.addEventListener("close", (event) => closes.push(event.code));

    const ids = [
      debate.id,
      debate.studentCode,
      debate.judgeCode,
      debate.audienceKey,
      ...teams.flatMap((team) => [team.id, paperDocumentId(team.id)]),
      ...(await suite.running.server.store.listParticipants(debate.id)).map((session) => session.id),
    ];
    expect(ids).toHaveLength(4 + teams.length * 2 + 3);
    const kept = await control(debate, { intent: "delete", confirm: "nope" });
    expect(kept.status).toBe(400);
    expect(kept.body).toContain("Type delete to confirm.");
    const deleted = await control(debate, { intent: "delete", confirm: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe("/debates");
    await eventually(() => closes.length > 0, 3000, "the open paper to be closed");
    paper.destroy();
    await suite.running.server.yjs.registry.settle();

    const db = new Database(suite.databasePath, { readonly: true });
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    const leftovers: string[] = [];
    for (const { name } of tables) {
      const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${name})`).all();
      for (const column of columns) {
        const placeholders = ids.map(() => "?").join(", ");
        const count = db
          .prepare<string[], { count: number }>(
            `SELECT COUNT(*) AS count FROM ${name} WHERE CAST(${column.name} AS TEXT) IN (${placeholders})`,
          )
          .get(...ids)!.count;
        if (count > 0) leftovers.push(`${name}.${column.name}: ${count}`);
      }
    }
    const orphanUpdates = db
      .prepare<[], { count: number }>(
        "SELECT COUNT(*) AS count FROM document_log WHERE doc NOT IN (SELECT key FROM document_keys)",
      )
      .get()!.count;
    db.close();
    expect(leftovers).toEqual([]);
    expect(orphanUpdates).toBe(0);
    expect((await http(suite.running.url, `/debates/${debate.id}/control`, { cookie: instructor })).status).toBe(404);
  });
});
