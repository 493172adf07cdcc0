import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { DebateOptions } from "../../server/classroom/debates";
import { configFromEnvironment, type ServerConfig } from "../../server/config";
import { type CaucusServer, createServer, type ServerParts } from "../../server/create-server";
import { newId } from "../../server/ids";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import type { Role, SessionInfo } from "../../shared/session";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/wire/events";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { roundHandshake } from "../../shared/wire/round-events";

export interface RunningServer {
  server: CaucusServer;
  url: string;
  wsUrl: string;
}

export function temporaryDatabasePath(): { path: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), "caucus-test-"));
  return { path: join(directory, "caucus.db"), remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** The defaults a server gets from an empty environment, on port 0 of 127.0.0.1, silent, API only. */
export function testConfig(databasePath: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    ...configFromEnvironment({} as NodeJS.ProcessEnv, "none"),
    port: 0,
    host: "127.0.0.1",
    databasePath,
    sessionSecret: "test-secret-test-secret-test-secret-0123",
    logLevel: "silent",
    trustProxy: 0,
    sessionMaxAgeMs: 30 * 24 * 60 * 60 * 1000,
    pages: "none",
    ...overrides,
  };
}

/** A real server on 127.0.0.1, port 0, API only (no pages). */
export async function startServer(
  databasePath: string,
  overrides: Partial<ServerConfig> = {},
  parts: ServerParts = {},
): Promise<RunningServer> {
  const server = await createServer(testConfig(databasePath, overrides), parts);
  const address = await server.listen(0, "127.0.0.1");
  return { server, url: `http://127.0.0.1:${address.port}`, wsUrl: `ws://127.0.0.1:${address.port}` };
}

/**
 * Creates a session directly in the store and returns its signed cookie header. An instructor
 * session belongs to the debate's owner account (created, and given the debate, when it has none).
 */
/** The seeded debate's first paper: its debate, team and document id. */
export async function firstPaper(server: RunningServer) {
  const [debate] = await server.server.store.listDebates();
  const [team] = await server.server.store.listTeams(debate!.id);
  return { debateId: debate!.id, teamId: team!.id, docId: paperDocumentId(team!.id) };
}

export async function sessionCookie(
  server: CaucusServer,
  session: { role: Role; debateId: string; teamId?: string | null; displayName?: string },
): Promise<{ cookie: string; session: SessionInfo }> {
  const displayName = session.displayName ?? `${session.role} ${Math.floor(Math.random() * 1000)}`;
  const sessionId = newId();
  if (session.role === "instructor") {
    const debate = await server.store.getDebate(session.debateId);
    let ownerId = debate?.ownerId ?? null;
    if (!ownerId) {
      ownerId = newId();
      await server.store.createAccount({
        id: ownerId,
        name: displayName,
        email: `${ownerId}@example.test`,
        passwordHash: "scrypt$test",
      });
      await server.store.claimUnownedDebates(ownerId);
    }
    await server.store.createAccountSession(sessionId, ownerId);
  } else {
    await server.store.createSession({
      id: sessionId,
      role: session.role,
      debateId: session.debateId,
      accountId: null,
      teamId: session.teamId ?? null,
      displayName,
      color: "#047857",
    });
  }
  const info = await server.store.getSession(sessionId);
  if (!info) throw new Error("The test session was not stored");
  return { cookie: server.cookies.serialize(sessionId).split(";")[0]!, session: info };
}

/** The stock y-websocket client, sending the given cookie on its upgrade request. */
export function yjsClient(wsUrl: string, docId: string, cookie: string | null) {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, docId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return {
    doc,
    provider,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve();
        provider.once("sync", (isSynced: boolean) => isSynced && resolve());
      }),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function roundClient(url: string, cookie: string | null): Socket<ServerToClientEvents, ClientToServerEvents> {
  return io(url, {
    transports: ["websocket"],
    auth: roundHandshake(),
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The paper's text as stored (snapshot + log), read straight from the store. */
export async function storedPaperText(store: Store, docId: string): Promise<string> {
  const stored = await store.loadDocument(docId);
  const doc = new Y.Doc();
  if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored?.updates ?? []) Y.applyUpdate(doc, update);
  return doc.getXmlFragment(PAPER_FRAGMENT).toString();
}

/** Options for a debate made straight in the store: no owner yet, the default format, students pick teams. */
export const UNOWNED_DEBATE: DebateOptions = { ownerId: null, formatId: CLASSROOM_FORMAT.id, teamMode: "choose" };

/**
 * A real server for every test of the enclosing `describe`, on a fresh database: started before
 * the suite's own `beforeAll` hooks run, closed (and its database removed) after the suite.
 */
export function serverForSuite(overrides: Partial<ServerConfig> = {}): {
  readonly running: RunningServer;
  readonly databasePath: string;
} {
  const database = temporaryDatabasePath();
  const suite = { databasePath: database.path } as { running: RunningServer; databasePath: string };
  beforeAll(async () => {
    suite.running = await startServer(database.path, overrides);
  });
  afterAll(async () => {
    await suite.running.server.close();
    database.remove();
  });
  return suite;
}
