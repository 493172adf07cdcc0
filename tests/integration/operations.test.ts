import { afterAll, describe, expect, it } from "vitest";
import { SessionCookies } from "../../server/auth/session-cookie";
import { newId } from "../../server/ids";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { RoundEvent } from "../../shared/wire/events";
import { CloseCode, CloseReason } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";
import {
  eventually,
  roundClient,
  serverForSuite,
  sessionCookie,
  startServer,
  storedPaperText,
  temporaryDatabasePath,
  yjsClient,
} from "../support/test-server";

/** The value of one sample line of a Prometheus text page, or undefined when absent. */
function sample(page: string, series: string): number | undefined {
  const line = page.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("probes and metrics", () => {
  const suite = serverForSuite();

  it("answers /healthz and /readyz without a session or cookies", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const response = await fetch(`${suite.running.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });

  it("counts connections, open papers, stored updates, store latency and refusals", async () => {
    const { server, url, wsUrl } = suite.running;
    const [debate] = await server.store.listDebates();
    const [team] = await server.store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const { cookie } = await sessionCookie(server, { role: "student", debateId: debate!.id, teamId: team!.id });
    const writer = caucusClient(wsUrl, docId, cookie);
    await writer.synced();
    writer.write("counted");
    await writer.saved();
    const stranger = yjsClient(wsUrl, docId, null);
    await eventually(() => stranger.provider.wsconnected === false && stranger.provider.wsUnsuccessfulReconnects > 0);
    stranger.destroy();

    const page = await (await fetch(`${url}/metrics`)).text();
    expect(sample(page, 'caucus_connections{kind="yjs"}')).toBe(1);
    expect(sample(page, "caucus_open_papers")).toBe(1);
    expect(sample(page, "caucus_updates_stored_total")).toBeGreaterThanOrEqual(1);
    expect(sample(page, 'caucus_store_seconds_count{operation="appendUpdate"}')).toBeGreaterThanOrEqual(1);
    expect(sample(page, 'caucus_refusals_total{reason="noSession"}')).toBeGreaterThanOrEqual(1);
    writer.destroy();
  });
});

describe("readiness follows the store", () => {
  const database = temporaryDatabasePath();
  afterAll(() => database.remove());

  it("says 503 while the store fails and 200 once it answers again", async () => {
    const real = openSqliteStore(database.path);
    let failing = false;
    const store = new Proxy(real, {
      get(target, property, receiver) {
        if (property === "getSetting" && failing) return () => Promise.reject(new Error("disk gone"));
        return Reflect.get(target, property, receiver);
      },
    }) as Store;
    const running = await startServer(database.path, {}, { store });
    failing = true;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    failing = false;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await running.server.close();
  });
});

describe("a spawned node: JSON logs and graceful shutdown", () => {
  const SECRET = "operations-test-secret-operations-0123";
  const database = temporaryDatabasePath();
  const servers: SpawnedServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    removeDatabase(database.path);
  });

  const logLines = (server: SpawnedServer) =>
    server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it("logs JSON with request and connection ids; SIGTERM stores what was sent and says 4503", async () => {
    const first = await spawnServer({ databasePath: database.path, env: { SESSION_SECRET: SECRET } });
    servers.push(first);
    const port = new URL(first.url).port;
    const wsUrl = first.url.replace("http", "ws");
    const store = openSqliteStore(database.path);
    const [debate] = await store.listDebates();
    const [team] = await store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const sessionId = newId();
    await store.createSession({
      id: sessionId,
      role: "student",
      accountId: null,
      displayName: "Writer",
      debateId: debate!.id,
      teamId: team!.id,
      color: "#047857",
    });
    await store.close();

    await fetch(`${first.url}/no-such-page`, { headers: { "X-Request-Id": "probe-42" } });
    const writer = caucusClient(wsUrl, docId, new SessionCookies(SECRET, false).serialize(sessionId).split(";")[0]!);
    await writer.synced();
    await eventually(() => logLines(first).some((line) => line.msg === "Yjs connection opened"), 5000, "open log");
    const request = logLines(first).find((line) => line.requestId === "probe-42");
    expect(request).toMatchObject({ msg: "Request", method: "GET", path: "/no-such-page", status: 404 });
    const opened = logLines(first).find((line) => line.msg === "Yjs connection opened");
    expect(opened).toMatchObject({ docId, sessionId });
    expect(typeof opened?.connectionId).toBe("string");

    const follower = roundClient(first.url, new SessionCookies(SECRET, false).serialize(sessionId).split(";")[0]!);
    expect((await follower.emitWithAck(RoundEvent.subscribe, { debateId: debate!.id })).ok).toBe(true);
    const followerGone = new Promise<string>((resolve) => follower.once("disconnect", (reason) => resolve(reason)));

    const tokens = Array.from({ length: 20 }, (_, index) => `before-term-${index}`);
    for (const token of tokens) writer.write(token);
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(writer.state.closes).toContainEqual({
      code: CloseCode.serverShuttingDown,
      reason: CloseReason[CloseCode.serverShuttingDown],
    });
    expect(logLines(first).some((line) => line.msg === "Shut down")).toBe(true);
    // A closed transport, not a server-side disconnect: socket.io's client reconnects on its own.
    expect(await followerGone).toBe("transport close");
    follower.close();

    // Whatever reached the node was stored before it exited; what was still on the wire the client resends.
    const second = await spawnServer({ databasePath: database.path, env: { SESSION_SECRET: SECRET, PORT: port } });
    servers.push(second);
    const reader = openSqliteStore(database.path);
    await eventually(() => writer.provider.synced && writer.provider.wsconnected, 15_000, "reconnect");
    await writer.saved();
    const text = await storedPaperText(reader, docId);
    expect(tokens.filter((token) => !text.includes(`>${token}<`))).toEqual([]);
    await reader.close();
    writer.destroy();
  }, 60_000);
});

describe("a node whose Redis is unreachable", () => {
  const database = temporaryDatabasePath();
  afterAll(() => database.remove());

  it("starts, stays alive and says it is not ready", async () => {
    // Port 1 on the loopback: nothing listens there, so every connection is refused at once.
    const running = await startServer(database.path, { redisUrl: "redis://127.0.0.1:1" });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
    await running.server.close();
  });
});
