import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { CloseCode } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { http } from "../support/http";
import {
  eventually,
  type RunningServer,
  roundClient,
  serverForSuite,
  sessionCookie,
  startServer,
  storedPaperText,
  temporaryDatabasePath,
} from "../support/test-server";

type Live = { paper: ReturnType<typeof caucusClient>; round: ReturnType<typeof roundClient> };

async function openEverything(running: RunningServer, team: TeamRecord, cookie: string): Promise<Live> {
  const paper = caucusClient(running.wsUrl, paperDocumentId(team.id), cookie);
  await paper.synced();
  const round = roundClient(running.url, cookie);
  await new Promise<void>((resolve, reject) => {
    round.on("connect", resolve);
    round.on("connect_error", reject);
  });
  return { paper, round };
}

/** Waits until both connections ended, then checks an edit sent afterwards was never stored. */
async function expectEnded(running: RunningServer, team: TeamRecord, live: Live, marker: string) {
  await eventually(
    () => live.paper.state.closes.some((close) => close.code === CloseCode.noSession),
    3000,
    "/yjs closed",
  );
  await eventually(() => !live.round.connected, 3000, "socket.io disconnected");
  live.paper.write(marker);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await storedPaperText(running.server.store, paperDocumentId(team.id))).not.toContain(marker);
  live.paper.destroy();
  live.round.close();
}

/**
 * Issue 10, items 6 and 7, as the attacker did it: a revoked session's open /yjs and socket.io
 * connections must end at once (log-out, password change, removal, server-side expiry), and a
 * planted /watch link must not replace a judge's session.
 */
describe("one way to end a session everywhere", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let teams: TeamRecord[];
  let instructor: string;

  beforeAll(async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
    });
    instructor = signUp.sessionCookie!;
    [debate] = (await suite.running.server.store.listDebates()) as [DebateRecord];
    teams = await suite.running.server.store.listTeams(debate.id);
  });

  it("log-out closes the instructor's open /yjs and socket.io connections; later edits are not stored", async () => {
    const login = await http(suite.running.url, "/login", {
      form: { email: "okafor@example.test", password: "a long enough password" },
    });
    const live = await openEverything(suite.running, teams[0]!, login.sessionCookie!);
    expect((await http(suite.running.url, "/logout", { cookie: login.sessionCookie, form: {} })).status).toBe(302);
    await expectEnded(suite.running, teams[0]!, live, "WRITTEN-AFTER-LOGOUT");
  });

  it("a password change closes the account's other sessions' connections", async () => {
    const elsewhere = await http(suite.running.url, "/login", {
      form: { email: "okafor@example.test", password: "a long enough password" },
    });
    const live = await openEverything(suite.running, teams[0]!, elsewhere.sessionCookie!);
    const changed = await http(suite.running.url, "/account", {
      cookie: instructor,
      form: { currentPassword: "a long enough password", newPassword: "another long password" },
    });
    expect(changed.status).toBe(200);
    await expectEnded(suite.running, teams[0]!, live, "WRITTEN-AFTER-PASSWORD-CHANGE");
  });

  it("removal closes the student's connections", async () => {
    const student = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate.id,
      teamId: teams[1]!.id,
    });
    const live = await openEverything(suite.running, teams[1]!, student.cookie);
    const removed = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: instructor,
      form: { intent: "remove", sessionId: student.session.id },
    });
    expect(removed.status).toBe(200);
    await expectEnded(suite.running, teams[1]!, live, "WRITTEN-AFTER-REMOVAL");
  });

  it("a planted /watch link asks a judge before anything changes; only the confirm POST switches", async () => {
    const judge = await sessionCookie(suite.running.server, { role: "judge", debateId: debate.id });
    for (const headers of [{}, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
      const planted = await http(suite.running.url, `/watch/${debate.audienceKey}`, { cookie: judge.cookie, headers });
      expect(planted.status).toBe(200);
      expect(planted.sessionCookie).toBeNull();
      expect(planted.body).toContain("Watch as the audience");
    }
    expect((await http(suite.running.url, `/debates/${debate.id}/judge`, { cookie: judge.cookie })).status).toBe(200);
    const crossSite = await http(suite.running.url, `/watch/${debate.audienceKey}`, {
      cookie: judge.cookie,
      form: {},
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    const confirmed = await http(suite.running.url, `/watch/${debate.audienceKey}`, { cookie: judge.cookie, form: {} });
    expect(confirmed.status).toBe(302);
    expect(confirmed.sessionCookie).not.toBeNull();
    // A browser without a session still goes straight to the projector view.
    const fresh = await http(suite.running.url, `/watch/${debate.audienceKey}`);
    expect(fresh.status).toBe(302);
    expect(fresh.sessionCookie).not.toBeNull();
  });
});

describe("server-side session expiry", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer;
  afterAll(async () => {
    await running.server.close();
    database.remove();
  });

  it("ends an instructor session after its maximum age, with its live connections", async () => {
    running = await startServer(database.path, { sessionMaxAgeMs: 1500 });
    const [debate] = (await running.server.store.listDebates()) as [DebateRecord];
    const [team] = (await running.server.store.listTeams(debate.id)) as [TeamRecord];
    const owner = await sessionCookie(running.server, { role: "instructor", debateId: debate.id });
    const live = await openEverything(running, team, owner.cookie);
    await eventually(() => live.paper.state.closes.length > 0, 5000, "expiry");
    await expectEnded(running, team, live, "WRITTEN-AFTER-EXPIRY");
    expect(await running.server.store.getSession(owner.session.id)).toBeUndefined();
  });
});
