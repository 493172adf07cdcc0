import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { paperDocumentId } from "../../shared/papers/documents";
import { CloseCode, CloseReason } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { paragraphUpdate, updateFrame } from "../support/raw-probe";
import {
  eventually,
  type RunningServer,
  sessionCookie,
  startServer,
  temporaryDatabasePath,
} from "../support/test-server";

interface Presence {
  user?: { name?: string; color?: string };
}

describe("presence and limits", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  async function paperOfFirstTeam(server: RunningServer) {
    const [debate] = await server.server.store.listDebates();
    const [team] = await server.server.store.listTeams(debate!.id);
    return { debateId: debate!.id, teamId: team!.id, docId: paperDocumentId(team!.id) };
  }

  it("replaces a forged name and colour with the session's, for everyone", async () => {
    running = await startServer(database.path);
    const paper = await paperOfFirstTeam(running);
    const forger = await sessionCookie(running.server, { role: "student", ...paper, displayName: "Amira" });
    const watcher = await sessionCookie(running.server, { role: "student", ...paper, displayName: "Ben" });
    const amira = caucusClient(running.wsUrl, paper.docId, forger.cookie);
    const ben = caucusClient(running.wsUrl, paper.docId, watcher.cookie);
    await Promise.all([amira.synced(), ben.synced()]);

    amira.provider.awareness.setLocalStateField("user", { name: "The Instructor", color: "#000000" });
    const seenByBen = () => ben.provider.awareness.getStates().get(amira.doc.clientID) as Presence | undefined;
    await eventually(() => seenByBen()?.user?.name !== undefined, 3000, "Ben to see Amira");
    expect(seenByBen()?.user).toEqual({ name: "Amira", color: forger.session.color });
    await eventually(
      () => (amira.provider.awareness.getLocalState() as Presence | null)?.user?.name === "Amira",
      3000,
      "Amira's own state to be corrected",
    );
    amira.destroy();
    ben.destroy();
  });

  it("shows students by code name when the instructor turns code names on, live", async () => {
    running = await startServer(database.path);
    const paper = await paperOfFirstTeam(running);
    const team = await running.server.store.getTeam(paper.teamId);
    const student = await sessionCookie(running.server, { role: "student", ...paper, displayName: "Amira" });
    const judge = await sessionCookie(running.server, {
      role: "judge",
      debateId: paper.debateId,
      displayName: "Judge",
    });
    const amira = caucusClient(running.wsUrl, paper.docId, student.cookie);
    const reader = caucusClient(running.wsUrl, paper.docId, judge.cookie);
    await Promise.all([amira.synced(), reader.synced()]);
    amira.provider.awareness.setLocalStateField("user", { name: "Amira", color: student.session.color });
    const seen = () =>
      (reader.provider.awareness.getStates().get(amira.doc.clientID) as Presence | undefined)?.user?.name;
    await eventually(() => seen() === "Amira", 3000, "the judge to see Amira's name");

    await running.server.store.updateDebateSettings(paper.debateId, { codeNames: true });
    await running.server.yjs.refreshAccess(paper.docId);
    // Earlier tests in this file put other students on the team, so the number is not always 1.
    const codeName = new RegExp(`^${team!.name} · Speaker \\d+$`);
    await eventually(() => codeName.test(seen() ?? ""), 3000, "the code name to replace the real name");
    amira.destroy();
    reader.destroy();
  });

  it("refuses a frame over the message limit with 1009 and keeps serving", async () => {
    running = await startServer(database.path, { maxMessageBytes: 4096 });
    const paper = await paperOfFirstTeam(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const closed = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${running!.wsUrl}/yjs/${paper.docId}`, { headers: { cookie } });
      socket.on("open", () => socket.send(new Uint8Array(10_000)));
      socket.on("close", (code) => resolve(code));
    });
    expect(closed).toBe(1009);
    const healthy = caucusClient(running.wsUrl, paper.docId, cookie);
    await healthy.synced();
    healthy.destroy();
  });

  it("refuses an update that would take the paper past its size limit, storing none of it", async () => {
    running = await startServer(database.path, { maxDocumentBytes: 64 * 1024 });
    const paper = await paperOfFirstTeam(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const before = (await running.server.store.loadDocument(paper.docId))!.lastSeq;
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(`${running!.wsUrl}/yjs/${paper.docId}`, { headers: { cookie } });
      socket.on("open", () => socket.send(updateFrame(paragraphUpdate("x".repeat(100_000)))));
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(closed.code).toBe(CloseCode.documentTooLarge);
    expect(closed.reason).toMatch(/^This paper is full \(\d+ KB left\)/);
    expect((await running.server.store.loadDocument(paper.docId))!.lastSeq).toBe(before);
  });

  it("refuses connections past the per-document limit with a reason", async () => {
    running = await startServer(database.path, { maxConnectionsPerDocument: 3 });
    const paper = await paperOfFirstTeam(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const open = Array.from({ length: 3 }, () => caucusClient(running!.wsUrl, paper.docId, cookie));
    await Promise.all(open.map((client) => client.synced()));
    const refused = await new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(`${running!.wsUrl}/yjs/${paper.docId}`, { headers: { cookie } });
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(refused).toEqual({ code: CloseCode.tooManyConnections, reason: CloseReason[CloseCode.tooManyConnections] });
    for (const client of open) client.destroy();
    database.remove();
  });
});
