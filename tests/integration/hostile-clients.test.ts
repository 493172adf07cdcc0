import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { BudgetReason, CloseCode, PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { encodeYjsFrame } from "../../shared/wire/yjs-codec";
import { type CanaryReport, startCanary } from "../support/canary";
import { type SocketBurstResult, startSocketOpener } from "../support/socket-opener";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";
import { studentCookies } from "../support/student-cookie";
import { temporaryDatabasePath } from "../support/test-server";

const SECRET = "hostile-test-secret-hostile-test-secret-0";
/**
 * The bound issue 9 asks for: another paper's edits arrive within 50 ms at the 99th percentile. On
 * a shared 2-core box the idle p99 alone is 5–20 ms, so the bound is 50 ms above the idle baseline
 * measured at the start (decision 073).
 */
const CANARY_MARGIN_MS = 50;
/**
 * A latency bound on a shared machine can be hit by a pause that has nothing to do with the attack
 * (another process's burst, a disk flush): a case is tried up to three times, and must pass once.
 * A server that really lets one paper stall another fails every try.
 */
const LATENCY_RETRIES = 2;
/**
 * Each window lasts at least this long: with a line every 25 ms that is over 100 samples, so the
 * 99th percentile is not simply the single slowest line.
 */
const WINDOW_MS = 2600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each numbered failure of issue 9, against a real server process: the hostile client attacks one
 * team's paper while two honest students type in the other team's paper, and their p99 is asserted.
 */
describe("hostile clients cannot hurt another paper", { retry: LATENCY_RETRIES }, () => {
  const database = temporaryDatabasePath();
  let server: SpawnedServer;
  let wsUrl: string;
  let store: Store;
  let attackedDoc: string;
  let debateId: string;
  let attackedTeam: string;
  let canary: Awaited<ReturnType<typeof startCanary>>;

  async function student(teamId: string): Promise<string> {
    return studentCookies(store, SECRET)({ debateId, teamId });
  }

  function expectCanaryUnhurt({ idle, attacked }: { idle: CanaryReport; attacked: CanaryReport }): void {
    expect(attacked.lost).toBe(0);
    expect(attacked.samples).toBeGreaterThan(5);
    expect(attacked.p99).toBeLessThan(idle.p99 + CANARY_MARGIN_MS);
  }

  /**
   * Measures the canary for a second of quiet (the box's load right now), then while `attack` runs,
   * and returns both windows' figures.
   */
  async function during(attack: () => Promise<void>): Promise<{ idle: CanaryReport; attacked: CanaryReport }> {
    await canary.reset();
    await sleep(WINDOW_MS);
    const idle = await canary.measure();
    await canary.reset();
    const started = performance.now();
    await attack();
    await sleep(Math.max(300, WINDOW_MS - (performance.now() - started)));
    return { idle, attacked: await canary.measure() };
  }

  beforeAll(async () => {
    server = await spawnServer({ databasePath: database.path, env: { SESSION_SECRET: SECRET, LOG_LEVEL: "error" } });
    wsUrl = server.url.replace("http", "ws");
    store = openSqliteStore(database.path);
    const [debate] = await store.listDebates();
    debateId = debate!.id;
    const [attacked, quiet] = await store.listTeams(debateId);
    attackedTeam = attacked!.id;
    attackedDoc = paperDocumentId(attacked!.id);
    canary = await startCanary({
      wsUrl,
      docId: paperDocumentId(quiet!.id),
      writerCookie: await student(quiet!.id),
      readerCookie: await student(quiet!.id),
    });
  }, 30_000);

  afterAll(async () => {
    await canary.stop();
    await store.close();
    await server.stop("SIGKILL");
    removeDatabase(database.path);
  });

  function open(cookie: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/yjs/${attackedDoc}`, { headers: { cookie } });
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  }

  const closed = (socket: WebSocket) =>
    new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );

  it("a flood of 10,000 messages a second ends with the flooder closed (4429) and the server alive", async () => {
    const socket = await open(await student(attackedTeam));
    const ended = closed(socket);
    const frame = encodeYjsFrame.queryAwareness();
    const report = await during(async () => {
      // 10,000 a second, whatever the timer's real rate on a busy box: each tick sends what is due.
      const started = performance.now();
      let sent = 0;
      const timer = setInterval(() => {
        const due = Math.floor((performance.now() - started) * 10);
        for (; sent < due && socket.readyState === WebSocket.OPEN; sent++) socket.send(frame);
      }, 1);
      // Two seconds of flood at 10,000 a second trip the budget at once; five allow for a busy box.
      const outcome = await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
      clearInterval(timer);
      // Whichever budget the flood spends first: messages per second, or frames waiting (when one
      // TCP read carries more frames than the queue may hold).
      expect(outcome).toEqual({
        code: CloseCode.tooManyConnections,
        reason: expect.stringMatching(new RegExp(`^(${BudgetReason.messages}|${BudgetReason.queue})$`)),
      });
    });
    expect(server.child.exitCode).toBeNull();
    expectCanaryUnhurt(report);
  });

  it("500 simultaneous sockets each open or get a refusal within 5 s", async () => {
    const sessions = await Promise.all(Array.from({ length: 500 }, () => student(attackedTeam)));
    const opener = await startSocketOpener(`${wsUrl}/yjs/${attackedDoc}`, sessions);
    let result: SocketBurstResult = { outcomes: [], elapsedMs: 0 };
    const report = await during(async () => {
      result = await opener.burst();
    });
    expect(result.outcomes).toHaveLength(500);
    expect(result.elapsedMs).toBeLessThan(5000);
    expect(result.outcomes.filter((outcome) => !/^(served|closed 4429|http 429|http 503)$/.test(outcome))).toEqual([]);
    expect(result.outcomes).toContain("served");
    expectCanaryUnhurt(report);
  }, 30_000);

  it("a burst of valid edits on one connection", async () => {
    const socket = await open(await student(attackedTeam));
    const doc = new Y.Doc();
    const frames = Array.from({ length: 400 }, (_, index) => {
      const before = Y.encodeStateVector(doc);
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(`burst ${index}`)]);
      doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
      return encodeYjsFrame.update(Y.encodeStateAsUpdate(doc, before));
    });
    const report = await during(async () => {
      for (const frame of frames) socket.send(frame);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    });
    socket.terminate();
    expectCanaryUnhurt(report);
  });

  it("100,000 items in one update, and a 10 MB string, are refused (1009: past the message limit)", async () => {
    const many = new Y.Doc();
    many.getXmlFragment(PAPER_FRAGMENT).insert(
      0,
      Array.from({ length: 100_000 }, () => new Y.XmlElement("paragraph")),
    );
    const manyFrame = encodeYjsFrame.update(Y.encodeStateAsUpdate(many));
    const long = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("x".repeat(10_000_000))]);
    long.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
    const longFrame = encodeYjsFrame.update(Y.encodeStateAsUpdate(long));
    const codes: number[] = [];
    const cookies = [await student(attackedTeam), await student(attackedTeam)];
    const report = await during(async () => {
      for (const [index, frame] of [manyFrame, longFrame].entries()) {
        const socket = await open(cookies[index]!);
        const ended = closed(socket);
        socket.send(frame);
        codes.push((await ended).code);
      }
    });
    expect(codes).toEqual([1009, 1009]);
    expectCanaryUnhurt(report);
  });

  it("2,000 awareness client ids from one connection", async () => {
    const socket = await open(await student(attackedTeam));
    const ended = closed(socket);
    const report = await during(async () => {
      socket.send(
        encodeYjsFrame.awarenessEntries(
          Array.from({ length: 2000 }, (_, clientId) => ({
            clientId: clientId + 1,
            clock: 1,
            state: { cursor: null },
          })),
        ),
      );
      expect(await ended).toEqual({ code: CloseCode.tooManyConnections, reason: BudgetReason.awarenessIds });
    });
    expectCanaryUnhurt(report);
  });

  it("half-open sockets: an upgrade that never finishes and a connection that stops reading", async () => {
    const port = Number(new URL(server.url).port);
    const stalled = Array.from({ length: 20 }, () => {
      const raw = connect(port, "127.0.0.1");
      raw.on("error", () => undefined);
      raw.write(`GET /yjs/${attackedDoc} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
      return raw;
    });
    const deaf = await open(await student(attackedTeam));
    (deaf as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = await open(await student(attackedTeam));
    const report = await during(async () => {
      const doc = new Y.Doc();
      for (let index = 0; index < 50; index++) {
        const before = Y.encodeStateVector(doc);
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText("y".repeat(20_000))]);
        doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
        writer.send(encodeYjsFrame.update(Y.encodeStateAsUpdate(doc, before)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    for (const raw of stalled) raw.destroy();
    deaf.terminate();
    writer.terminate();
    expectCanaryUnhurt(report);
  });

  it("answers an upgrade to an unknown path at once", async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${wsUrl}/nowhere`);
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.once("error", () => undefined);
    });
    expect(status).toBe(404);
  });
});
