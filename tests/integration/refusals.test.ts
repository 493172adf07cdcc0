import { io } from "socket.io-client";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { TeamRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { RoundEvent } from "../../shared/wire/events";
import { CloseCode, CloseReason } from "../../shared/wire/protocol";
import { OUTDATED_CLIENT, ROUND_PROTOCOL_VERSION } from "../../shared/wire/round-events";
import { roundClient, serverForSuite, sessionCookie, yjsClient } from "../support/test-server";

function closeOf(url: string, cookie?: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, cookie ? { headers: { cookie } } : {});
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on("error", reject);
  });
}

describe("refusing connections without the right session", () => {
  const suite = serverForSuite();
  let debateId: string;
  let teams: TeamRecord[];

  beforeAll(async () => {
    const [debate] = await suite.running.server.store.listDebates();
    debateId = debate!.id;
    teams = await suite.running.server.store.listTeams(debateId);
  });

  const paperUrl = (team: TeamRecord) => `${suite.running.wsUrl}/yjs/${paperDocumentId(team.id)}`;

  it("closes a /yjs connection without a session with 4401 and a reason", async () => {
    expect(await closeOf(paperUrl(teams[0]!))).toEqual({
      code: CloseCode.noSession,
      reason: CloseReason[CloseCode.noSession],
    });
  });

  it("treats a tampered session cookie as no session", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "instructor", debateId });
    const forged = `${cookie.slice(0, -3)}abc`;
    expect((await closeOf(paperUrl(teams[0]!), forged)).code).toBe(CloseCode.noSession);
  });

  it("refuses a student the other team's paper with 4403", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    expect(await closeOf(paperUrl(teams[1]!), cookie)).toEqual({
      code: CloseCode.forbidden,
      reason: "The other team's paper is not revealed yet",
    });
  });

  it("answers an unknown document with 4404", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "instructor", debateId });
    expect((await closeOf(`${suite.running.wsUrl}/yjs/paper.nosuchteam`, cookie)).code).toBe(
      CloseCode.documentNotFound,
    );
    expect((await closeOf(`${suite.running.wsUrl}/yjs/not-a-paper`, cookie)).code).toBe(CloseCode.documentNotFound);
  });

  it("closes a connection that sends a malformed frame, and keeps serving others", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    const bystander = yjsClient(suite.running.wsUrl, paperDocumentId(teams[0]!.id), cookie);
    await bystander.synced();
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(paperUrl(teams[0]!), { headers: { cookie } });
      socket.on("open", () => socket.send(Buffer.from([0, 2, 200, 1, 2, 3])));
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
      socket.on("error", reject);
    });
    expect(closed).toEqual({ code: CloseCode.malformedMessage, reason: CloseReason[CloseCode.malformedMessage] });
    expect(bystander.provider.wsconnected).toBe(true);
    bystander.destroy();
  });

  it("refuses a socket.io connection without a session with a reason", async () => {
    const socket = roundClient(suite.running.url, null);
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toBe(CloseReason[CloseCode.noSession]);
    socket.close();
  });

  it("disconnects a socket.io client that floods events or sends an oversized packet", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    for (const abuse of [
      (socket: ReturnType<typeof roundClient>) => {
        for (let index = 0; index < 200; index++) socket.emit(RoundEvent.clockPing, Date.now(), () => undefined);
      },
      (socket: ReturnType<typeof roundClient>) =>
        socket.emit(RoundEvent.subscribe, { debateId: "x".repeat(100_000) }, () => undefined),
    ]) {
      const socket = roundClient(suite.running.url, cookie);
      await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
      const reason = new Promise<string>((resolve) => socket.once("disconnect", resolve));
      abuse(socket);
      expect(await reason).toMatch(/^(io server disconnect|transport close)$/);
      socket.close();
    }
  });

  it("refuses round commands from anyone but the debate's instructor", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    const socket = roundClient(suite.running.url, cookie);
    const result = await socket.emitWithAck(RoundEvent.command, { debateId, command: { type: "start" } });
    expect(result).toEqual({ ok: false, status: 403, reason: "Only this debate's instructor runs the round" });
    const malformed = await socket.emitWithAck(RoundEvent.command, {
      debateId,
      command: { type: "explode" },
    } as never);
    expect(malformed).toEqual({ ok: false, status: 400, reason: "Malformed round command" });
    socket.close();
  });

  it("refuses a socket.io client that speaks another round protocol, saying to reload", async () => {
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    for (const auth of [{}, { caucus: ROUND_PROTOCOL_VERSION + 1 }]) {
      const socket = io(suite.running.url, {
        transports: ["websocket"],
        auth,
        extraHeaders: { cookie },
        reconnection: false,
        forceNew: true,
      });
      const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
      expect(error.message).toBe(OUTDATED_CLIENT);
      socket.close();
    }
  });

  it("answers a socket.io request whose handler fails, and keeps serving", async () => {
    const { store } = suite.running.server;
    const { cookie } = await sessionCookie(suite.running.server, { role: "student", debateId, teamId: teams[0]!.id });
    const socket = roundClient(suite.running.url, cookie);
    const getDebate = store.getDebate;
    store.getDebate = () => Promise.reject(new Error("disk on fire"));
    try {
      expect(await socket.emitWithAck(RoundEvent.subscribe, { debateId })).toEqual({
        ok: false,
        status: 500,
        reason: "The server could not do that; try again",
      });
    } finally {
      store.getDebate = getDebate;
    }
    expect(await socket.emitWithAck(RoundEvent.subscribe, { debateId })).toMatchObject({ ok: true });
    socket.close();
  });
});
