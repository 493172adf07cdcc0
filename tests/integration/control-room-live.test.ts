import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CONTROL_SWEEP_MS } from "../../server/classroom/control-channel";
import type { DebateRecord } from "../../server/store/types";
import { type ControlPush, controlPushSchema } from "../../shared/classroom/control-events";
import type { ControlView, ParticipantView } from "../../shared/classroom/views";
import { BallotField } from "../../shared/judging/rules";
import { paperDocumentId } from "../../shared/papers/documents";
import type { SessionInfo } from "../../shared/session";
import { type ClientToServerEvents, ControlEvent, type ServerToClientEvents } from "../../shared/wire/events";
import { eventually, roundClient, serverForSuite, sessionCookie, yjsClient } from "../support/test-server";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe("the control room's live channel over real sockets", () => {
  const suite = serverForSuite();
  let debate: DebateRecord;
  let owner: { cookie: string; session: SessionInfo };
  let instructor: Client;
  /** Every view pushed to the instructor's socket, parsed as the browser parses it. */
  const pushes: ControlPush[] = [];
  const latest = (): ControlView | undefined => pushes.at(-1)?.view;
  const person = (name: string): ParticipantView | undefined =>
    [...(latest()?.students ?? []), ...(latest()?.judges ?? [])].find((someone) => someone.displayName === name);
  const sockets: Client[] = [];

  async function connected(cookie: string | null): Promise<Client> {
    const socket = roundClient(suite.running.url, cookie);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  }

  async function join(code: string, name: string): Promise<{ cookie: string; session: SessionInfo }> {
    const joined = await suite.running.server.services.join(
      null,
      { code, name },
      { address: "127.0.0.1", clientId: `device-${name}` },
    );
    if (!joined.ok || !joined.setCookie) throw new Error(`${name} could not join`);
    const cookie = joined.setCookie.split(";")[0]!;
    const session = await suite.running.server.store.getSession(suite.running.server.cookies.read(cookie)!);
    return { cookie, session: session! };
  }

  beforeAll(async () => {
    const [seeded] = await suite.running.server.store.listDebates();
    debate = seeded!;
    owner = await sessionCookie(suite.running.server, { role: "instructor", debateId: debate.id });
    instructor = await connected(owner.cookie);
    instructor.on(ControlEvent.view, (wire) => pushes.push(controlPushSchema.parse(wire)));
  });

  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });

  it("answers the instructor's watch with the current control view", async () => {
    const answer = await instructor.emitWithAck(ControlEvent.watch, { debateId: debate.id });
    expect(answer).toMatchObject({ ok: true, view: { debate: { id: debate.id }, students: [], releaseStage: "none" } });
  });

  it("pushes a student joining, with no reload", async () => {
    await join(debate.studentCode, "Amira");
    await eventually(() => person("Amira") !== undefined, 3000, "Amira on the pushed roster");
    expect(person("Amira")).toMatchObject({ role: "student", online: false, typing: false });
    expect(person("Amira")!.teamId).not.toBeNull();
  });

  it("pushes nothing while nothing changes", async () => {
    const before = pushes.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(pushes.length).toBe(before);
  });

  it("pushes a student going online in their paper, then typing, then offline", async () => {
    const { cookie } = await join(debate.studentCode, "Bruno");
    await eventually(() => person("Bruno") !== undefined, 3000, "Bruno on the roster");
    const bruno = (await suite.running.server.store.listParticipants(debate.id)).find(
      (session) => session.displayName === "Bruno",
    )!;
    const paper = yjsClient(suite.running.wsUrl, paperDocumentId(bruno.teamId!), cookie);
    await paper.synced();
    await eventually(() => person("Bruno")?.online === true, 3000, "Bruno online");
    paper.doc.getXmlFragment("default").insert(0, [new Y.XmlText("Bruno types")]);
    await eventually(() => person("Bruno")?.typing === true, 3000, "Bruno typing");
    paper.destroy();
    await eventually(() => person("Bruno")?.online === false, 3000, "Bruno offline");
  });

  it("pushes a judge following the round, their ballot in progress, then submitted", async () => {
    const judge = await join(debate.judgeCode, "Judge Rao");
    await eventually(() => person("Judge Rao")?.ballot === null, 3000, "the judge on the roster");
    const judgeSocket = await connected(judge.cookie);
    expect(await judgeSocket.emitWithAck("round:subscribe", { debateId: debate.id })).toMatchObject({ ok: true });
    await eventually(() => person("Judge Rao")?.online === true, 3000, "the judge online");
    const [team] = await suite.running.server.store.listTeams(debate.id);
    const ballot = { [BallotField.winner]: team!.id, [BallotField.reason]: "Clearer case" };
    const { services } = suite.running.server;
    expect(
      await services.saveBallot(judge.session, debate.id, { ...ballot, [BallotField.intent]: "save" }),
    ).toMatchObject({ ok: true, status: "draft" });
    await eventually(() => person("Judge Rao")?.ballot === "draft", 3000, "the ballot in progress");
    expect(
      await services.saveBallot(judge.session, debate.id, { ...ballot, [BallotField.intent]: "submit" }),
    ).toMatchObject({ ok: true, status: "submitted" });
    await eventually(() => person("Judge Rao")?.ballot === "submitted", 3000, "the ballot submitted");
  });

  it("pushes a release-stage change", async () => {
    const released = await suite.running.server.services.judgingCommand(owner.session, debate.id, {
      intent: "release",
      releaseStage: "decision",
    });
    expect(released).toEqual({ ok: true });
    await eventually(() => latest()?.releaseStage === "decision", 3000, "the release stage");
  });

  it("pushes a service call at once, not at the next sweep", async () => {
    // With the sweep alone, each of these would arrive within the bound less than half the time.
    const bound = CONTROL_SWEEP_MS * 0.4;
    for (const releaseStage of ["scores", "feedback", "none"] as const) {
      const asked = Date.now();
      await suite.running.server.services.judgingCommand(owner.session, debate.id, { intent: "release", releaseStage });
      await eventually(() => latest()?.releaseStage === releaseStage, 3000, `the stage ${releaseStage}`);
      expect(Date.now() - asked).toBeLessThan(bound);
    }
  });

  it("refuses a student, a judge and another debate's instructor, with the guard's reason", async () => {
    const student = await join(debate.studentCode, "Chloé");
    const judge = await join(debate.judgeCode, "Judge Diaz");
    // An instructor with an account of their own, who does not own this debate.
    const otherInstructor = await sessionCookie(suite.running.server, { role: "instructor", debateId: "elsewhere" });
    for (const cookie of [student.cookie, judge.cookie, otherInstructor.cookie]) {
      const socket = await connected(cookie);
      expect(await socket.emitWithAck(ControlEvent.watch, { debateId: debate.id })).toEqual({
        ok: false,
        status: 403,
        reason: "Only this debate's instructor can do that.",
      });
    }
    expect(await instructor.emitWithAck(ControlEvent.watch, { debateId: "no-such-debate" })).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  it("refuses a hostile watch request clearly and keeps serving the socket", async () => {
    const hostile: unknown[] = [
      null,
      "debate",
      { debateId: 42 },
      { debateId: { $ne: null } },
      { debateId: "x".repeat(10_000) },
      [debate.id],
    ];
    for (const request of hostile) {
      const answer = await instructor.emitWithAck(ControlEvent.watch, request as { debateId: string });
      expect(answer).toEqual({ ok: false, status: 400, reason: "Malformed control room request" });
    }
    // A watch without an ack is ignored, not answered and not fatal.
    (instructor.emit as (event: string, request: unknown) => void)(ControlEvent.watch, { debateId: debate.id });
    expect(await instructor.emitWithAck(ControlEvent.watch, { debateId: debate.id })).toMatchObject({ ok: true });
    expect(instructor.connected).toBe(true);
  });
});
