import { io } from "socket.io-client";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { ControlEvent, RoundEvent } from "../../shared/wire/events";
import { CloseCode, CloseReason, PROTOCOL_PARAM, PROTOCOL_VERSION, YjsMessageType } from "../../shared/wire/protocol";
import { http } from "../support/http";
import { roundClient, serverForSuite, sessionCookie } from "../support/test-server";

/**
 * Every loader, action, socket.io event and the /yjs endpoint, asked by each role and by no
 * session, with the expected allow or refusal. Debate D is the one under test; E belongs to
 * another instructor, and "student of E" must get nothing of D.
 */
const ROLES = ["none", "owner", "otherInstructor", "student", "otherStudent", "judge", "audience"] as const;
type Who = (typeof ROLES)[number];
type Expected = Record<Who, number | string>;

describe("authorization, route by route and event by event", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let other: DebateRecord;
  let teams: TeamRecord[];
  const cookies = {} as Record<Who, string | null>;

  beforeAll(async () => {
    const { store } = suite.running.server;
    [debate] = (await store.listDebates()) as [DebateRecord];
    teams = await store.listTeams(debate.id);
    cookies.none = null;
    cookies.owner = (await sessionCookie(suite.running.server, { role: "instructor", debateId: debate.id })).cookie;
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Other", email: "other@example.test", password: "another password" },
    });
    cookies.otherInstructor = signUp.sessionCookie;
    const created = await http(suite.running.url, "/debates?index", { cookie: cookies.otherInstructor, form: {} });
    const otherId = created.location!.split("/")[2]!;
    other = (await store.getDebate(otherId))!;
    cookies.student = (
      await sessionCookie(suite.running.server, { role: "student", debateId: debate.id, teamId: teams[0]!.id })
    ).cookie;
    const [otherTeam] = await store.listTeams(other.id);
    cookies.otherStudent = (
      await sessionCookie(suite.running.server, { role: "student", debateId: other.id, teamId: otherTeam!.id })
    ).cookie;
    cookies.judge = (await sessionCookie(suite.running.server, { role: "judge", debateId: debate.id })).cookie;
    cookies.audience = (await sessionCookie(suite.running.server, { role: "audience", debateId: debate.id })).cookie;
  });

  const participantOnly: Expected = {
    none: 302,
    owner: 403,
    otherInstructor: 403,
    student: 200,
    otherStudent: 403,
    judge: 200,
    audience: 200,
  };
  const instructorOnly = (none: number): Expected => ({
    none,
    owner: 200,
    otherInstructor: 200,
    student: 403,
    otherStudent: 403,
    judge: 403,
    audience: 403,
  });
  const ownerOnly = (none: number, allowed: number): Expected => ({
    none,
    owner: allowed,
    otherInstructor: 403,
    student: 403,
    otherStudent: 403,
    judge: 403,
    audience: 403,
  });

  const loaders: [string, () => string, Expected][] = [
    [
      "/",
      () => "/",
      { none: 200, owner: 200, otherInstructor: 200, student: 200, otherStudent: 200, judge: 200, audience: 200 },
    ],
    [
      "/join",
      () => "/join",
      { none: 200, owner: 200, otherInstructor: 200, student: 200, otherStudent: 200, judge: 200, audience: 200 },
    ],
    [
      "/signup",
      () => "/signup",
      { ...participantOnly, none: 200, owner: 302, otherInstructor: 302, otherStudent: 200 },
    ],
    ["/login", () => "/login", { ...participantOnly, none: 200, owner: 302, otherInstructor: 302, otherStudent: 200 }],
    [
      "/create",
      () => "/create",
      { none: 302, owner: 302, otherInstructor: 302, student: 302, otherStudent: 302, judge: 302, audience: 302 },
    ],
    ["/debates", () => "/debates", instructorOnly(302)],
    ["/debates/new", () => "/debates/new", instructorOnly(302)],
    ["/account", () => "/account", instructorOnly(302)],
    ["/debates/:id", () => `/debates/${debate.id}`, { ...participantOnly, owner: 200 }],
    ["/debates/:id/control", () => `/debates/${debate.id}/control`, ownerOnly(302, 200)],
    ["/debates/:other/control", () => `/debates/${other.id}/control`, { ...ownerOnly(302, 403), otherInstructor: 200 }],
    ["/debates/:id/judge", () => `/debates/${debate.id}/judge`, { ...ownerOnly(302, 403), judge: 200 }],
    // Nothing is released and the judge has no submitted ballot: students and the audience get the
    // page (saying so), the judge is refused until their own ballot is in.
    [
      "/debates/:id/results",
      () => `/debates/${debate.id}/results`,
      { ...ownerOnly(302, 200), student: 200, audience: 200 },
    ],
    ["/debates/:id/results.csv", () => `/debates/${debate.id}/results.csv`, ownerOnly(302, 200)],
    ["/debates/:id/results.json", () => `/debates/${debate.id}/results.json`, ownerOnly(302, 200)],
    ["/debates/:id/rubric", () => `/debates/${debate.id}/rubric`, ownerOnly(302, 200)],
    // The seeded debate's format (Classroom) has no audience vote: the audience is told so.
    ["/debates/:id/vote", () => `/debates/${debate.id}/vote`, { ...ownerOnly(302, 403), audience: 409 }],
    [
      "/debates/:unknown",
      () => "/debates/no-such-debate",
      { ...ownerOnly(302, 404), otherInstructor: 404, student: 404, otherStudent: 404, judge: 404, audience: 404 },
    ],
    ["/debates/:id/contributions", () => `/debates/${debate.id}/contributions`, ownerOnly(302, 200)],
    ["/debates/:id/round-log", () => `/debates/${debate.id}/round-log`, ownerOnly(302, 200)],
    ["/debates/:id/formats", () => `/debates/${debate.id}/formats`, ownerOnly(302, 200)],
    ["/debates/:id/snapshots", () => `/debates/${debate.id}/snapshots`, { ...ownerOnly(302, 200), judge: 200 }],
    // A snapshot page answers 404 to anyone who may not read it, so snapshot ids cannot be probed.
    [
      "/debates/:id/snapshots/:unknown",
      () => `/debates/${debate.id}/snapshots/no-such-snapshot`,
      { none: 302, owner: 404, otherInstructor: 404, student: 404, otherStudent: 404, judge: 404, audience: 404 },
    ],
    ["/debates/:id/projector", () => `/debates/${debate.id}/projector`, { ...participantOnly, owner: 200 }],
    // A planted audience link asks anyone who is already someone else; it never switches on GET.
    [
      "/watch/:key",
      () => `/watch/${debate.audienceKey}`,
      { none: 302, owner: 302, otherInstructor: 302, student: 200, otherStudent: 200, judge: 200, audience: 302 },
    ],
    [
      "/logout (GET)",
      () => "/logout",
      { none: 405, owner: 405, otherInstructor: 405, student: 405, otherStudent: 405, judge: 405, audience: 405 },
    ],
  ];

  for (const [name, path, expected] of loaders) {
    it(`loader ${name}`, async () => {
      const answers = {} as Expected;
      for (const who of ROLES) answers[who] = (await http(suite.running.url, path(), { cookie: cookies[who] })).status;
      expect(answers).toEqual(expected);
    });
  }

  const actions: [string, () => string, () => Record<string, string>, Expected][] = [
    ["start from the essay", () => "/debates?index", () => ({}), { ...ownerOnly(302, 302), otherInstructor: 302 }],
    [
      "create a custom debate",
      () => "/debates/new",
      () => ({ title: "T", motion: "M", sideName: "A", sideDescription: "", formatId: "classroom" }),
      { ...ownerOnly(302, 400), otherInstructor: 400 },
    ],
    [
      "change password (wrong current password)",
      () => "/account",
      () => ({ currentPassword: "wrong", newPassword: "a new long password" }),
      { ...ownerOnly(302, 400), otherInstructor: 400 },
    ],
    [
      "pick a team",
      () => `/debates/${debate.id}?index`,
      () => ({ teamId: teams[1]!.id }),
      // New debates balance teams (decision 084): nobody picks, whatever their role.
      { none: 302, owner: 403, otherInstructor: 403, student: 403, otherStudent: 403, judge: 403, audience: 403 },
    ],
    [
      "let back in a removal that does not exist",
      () => `/debates/${debate.id}/control`,
      () => ({ intent: "let-back", banId: "no-such-removal" }),
      ownerOnly(302, 404),
    ],
    [
      "control room command",
      () => `/debates/${debate.id}/control`,
      () => ({ intent: "reveal", revealPolicy: "after-lock" }),
      ownerOnly(302, 200),
    ],
    [
      "control room command on another instructor's debate",
      () => `/debates/${other.id}/control`,
      () => ({ intent: "reveal", revealPolicy: "after-lock" }),
      { ...ownerOnly(302, 403), otherInstructor: 200 },
    ],
    [
      "save a judge's draft ballot",
      () => `/debates/${debate.id}/judge`,
      () => ({ intent: "save", reason: "draft" }),
      { ...ownerOnly(302, 403), judge: 200 },
    ],
    [
      "release results",
      () => `/debates/${debate.id}/results`,
      () => ({ intent: "release", releaseStage: "none" }),
      ownerOnly(302, 200),
    ],
    [
      "reopen a ballot that does not exist",
      () => `/debates/${debate.id}/results`,
      () => ({ intent: "reopen", judgeSessionId: "nobody" }),
      ownerOnly(302, 404),
    ],
    [
      "save a custom rubric with weights not adding up to 100",
      () => `/debates/${debate.id}/rubric`,
      () => ({ name: "Ours", "criterion-0-name": "Depth", "criterion-0-weight": "60" }),
      ownerOnly(302, 400),
    ],
    [
      "audience vote (format without one)",
      () => `/debates/${debate.id}/vote`,
      () => ({ teamId: teams[0]!.id }),
      { ...ownerOnly(302, 403), audience: 409 },
    ],
    [
      "malformed control room command",
      () => `/debates/${debate.id}/control`,
      () => ({ intent: "explode" }),
      ownerOnly(302, 400),
    ],
  ];

  for (const [name, path, form, expected] of actions) {
    it(`action: ${name}`, async () => {
      const answers = {} as Expected;
      for (const who of ROLES)
        answers[who] = (await http(suite.running.url, path(), { cookie: cookies[who], form: form() })).status;
      expect(answers).toEqual(expected);
    });
  }

  it("refuses a state-changing request from another site with 403, whoever sends it", async () => {
    for (const who of ROLES) {
      const answer = await http(suite.running.url, `/debates/${debate.id}/control`, {
        cookie: cookies[who],
        form: { intent: "rotate-code", which: "student" },
        origin: "https://evil.example",
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toBe("Cross-site requests are refused.");
    }
    const fetchSite = await http(suite.running.url, "/join", {
      form: { code: debate.studentCode, name: "X" },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(fetchSite.status).toBe(403);
  });

  it("watch link: any valid key gives an audience session, an unknown key 404", async () => {
    const audience = await http(suite.running.url, `/watch/${debate.audienceKey}`);
    expect(audience.status).toBe(302);
    expect(audience.location).toBe(`/debates/${debate.id}`);
    expect((await http(suite.running.url, "/watch/not-a-key")).status).toBe(404);
    const instructorStays = await http(suite.running.url, `/watch/${debate.audienceKey}`, { cookie: cookies.owner });
    expect(instructorStays.status).toBe(302);
    expect(instructorStays.sessionCookie).toBeNull();
  });

  async function roundAnswers(event: "subscribe" | "command" | "watch", debateId: () => string): Promise<Expected> {
    const answers = {} as Expected;
    for (const who of ROLES) {
      const socket = roundClient(suite.running.url, cookies[who]);
      const connected = await new Promise<string | null>((resolve) => {
        socket.on("connect", () => resolve(null));
        socket.on("connect_error", (error) => resolve(error.message));
      });
      if (connected !== null) {
        answers[who] = connected;
      } else {
        const result =
          event === "subscribe"
            ? await socket.emitWithAck(RoundEvent.subscribe, { debateId: debateId() })
            : event === "watch"
              ? await socket.emitWithAck(ControlEvent.watch, { debateId: debateId() })
              : await socket.emitWithAck(RoundEvent.command, { debateId: debateId(), command: { type: "next" } });
        answers[who] = result.ok ? "ok" : result.reason;
        if (result.ok && event === "command") {
          await socket.emitWithAck(RoundEvent.command, { debateId: debateId(), command: { type: "previous" } });
        }
      }
      socket.close();
    }
    return answers;
  }

  const noSession = CloseReason[CloseCode.noSession];

  it("socket.io round:subscribe", async () => {
    expect(await roundAnswers("subscribe", () => debate.id)).toEqual({
      none: noSession,
      owner: "ok",
      otherInstructor: "You are not part of this debate.",
      student: "ok",
      otherStudent: "You are not part of this debate.",
      judge: "ok",
      audience: "ok",
    });
  });

  /** The answers of an event only the debate's owner may send: every other session gets `refused`. */
  const ownerOnlyOnSocket = (refused: string): Expected => ({
    none: noSession,
    owner: "ok",
    otherInstructor: refused,
    student: refused,
    otherStudent: refused,
    judge: refused,
    audience: refused,
  });

  it("socket.io round:command", async () => {
    expect(await roundAnswers("command", () => debate.id)).toEqual(
      ownerOnlyOnSocket("Only this debate's instructor runs the round"),
    );
  });

  it("socket.io control:watch: the debate's instructor only", async () => {
    expect(await roundAnswers("watch", () => debate.id)).toEqual(
      ownerOnlyOnSocket("Only this debate's instructor can do that."),
    );
  });

  it("socket.io clock:ping answers every connected session", async () => {
    for (const who of ROLES.filter((role) => role !== "none")) {
      const socket = roundClient(suite.running.url, cookies[who]);
      expect(typeof (await socket.emitWithAck(RoundEvent.clockPing, Date.now()))).toBe("number");
      socket.close();
    }
  });

  it("socket.io refuses a handshake from another site", async () => {
    const socket = io(suite.running.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: cookies.owner!, origin: "https://evil.example" },
      reconnection: false,
      forceNew: true,
    });
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe("websocket error");
    socket.close();
  });

  function openPaper(teamId: string, cookie: string | null, origin?: string): Promise<string | number> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (origin) headers.origin = origin;
      const url = `${suite.running.wsUrl}/yjs/${paperDocumentId(teamId)}?${PROTOCOL_PARAM}=${PROTOCOL_VERSION}`;
      const socket = new WebSocket(url, { headers });
      socket.on("message", (data: Buffer) => {
        if (data[0] !== YjsMessageType.access) return;
        resolve((JSON.parse(data.subarray(2).toString()) as { access: string }).access);
        socket.close();
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });
  }

  it("/yjs: the team's paper", async () => {
    const answers = {} as Expected;
    for (const who of ROLES) answers[who] = await openPaper(teams[0]!.id, cookies[who]);
    expect(answers).toEqual({
      none: CloseCode.noSession,
      owner: "write",
      otherInstructor: CloseCode.forbidden,
      student: "write",
      otherStudent: CloseCode.forbidden,
      judge: "read",
      audience: CloseCode.forbidden,
    });
  });

  it("/yjs: the other team's paper, before it is revealed", async () => {
    const answers = {} as Expected;
    for (const who of ROLES) answers[who] = await openPaper(teams[1]!.id, cookies[who]);
    expect(answers).toEqual({
      none: CloseCode.noSession,
      owner: "write",
      otherInstructor: CloseCode.forbidden,
      student: CloseCode.forbidden,
      otherStudent: CloseCode.forbidden,
      judge: "read",
      audience: CloseCode.forbidden,
    });
  });

  it("/yjs refuses a handshake from another site", async () => {
    expect(await openPaper(teams[0]!.id, cookies.owner, "https://evil.example")).toBe(CloseCode.forbidden);
  });
});
