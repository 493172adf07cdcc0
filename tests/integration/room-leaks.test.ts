import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createDebateFromPack } from "../../server/classroom/debates";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { CloseCode } from "../../shared/wire/protocol";
import {
  eventually,
  type RunningServer,
  sessionCookie,
  startServer,
  temporaryDatabasePath,
  UNOWNED_DEBATE,
} from "../support/test-server";

const DOCUMENTS = 50;
const CYCLES = 1000;
const FAILING_EVERY = 10;

/** A real SQLite store whose loads fail for some documents, as a broken disk or bad row would. */
function storeFailingFor(store: Store, failing: Set<string>): Store {
  return {
    ...store,
    async loadDocument(docId) {
      if (failing.has(docId)) throw new Error(`simulated load failure for ${docId}`);
      return store.loadDocument(docId);
    },
  };
}

/** Opens a connection, waits for the first frame or the close, then leaves. */
function visit(url: string, cookie: string): Promise<number | "served"> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { cookie } });
    socket.once("message", () => {
      socket.close();
      resolve("served");
    });
    socket.once("close", (code) => resolve(code));
    socket.once("error", reject);
  });
}

function heapAfterCollection(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc (vitest.config.ts sets it)");
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

describe("room registry under churn", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer;
  const documents: { url: string; cookie: string; failing: boolean }[] = [];

  beforeAll(async () => {
    const store = openSqliteStore(database.path);
    const failing = new Set<string>();
    running = await startServer(database.path, {}, { store: storeFailingFor(store, failing) });
    while (documents.length < DOCUMENTS) {
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const { cookie } = await sessionCookie(running.server, { role: "instructor", debateId: debate.id });
      for (const team of await store.listTeams(debate.id)) {
        const docId = paperDocumentId(team.id);
        const isFailing = documents.length % FAILING_EVERY === 0;
        if (isFailing) failing.add(docId);
        documents.push({ url: `${running.wsUrl}/yjs/${docId}`, cookie, failing: isFailing });
      }
    }
  });

  afterAll(async () => {
    await running.server.close();
    database.remove();
  });

  it("unloads every document and keeps the heap flat after 1,000 connect/disconnect cycles", async () => {
    const runCycles = async (count: number) => {
      for (let cycle = 0; cycle < count; cycle += DOCUMENTS) {
        const outcomes = await Promise.all(documents.map((document) => visit(document.url, document.cookie)));
        outcomes.forEach((outcome, index) => {
          expect(outcome).toBe(documents[index]!.failing ? CloseCode.loadFailed : "served");
        });
      }
      // The server sees each close a moment after the client: wait for the last rooms to unload.
      await eventually(() => running.server.yjs.registry.loadedCount === 0, 5000, "every room to unload");
      await running.server.yjs.registry.settle();
    };
    await runCycles(DOCUMENTS * 2);
    const before = heapAfterCollection();
    await runCycles(CYCLES);
    const after = heapAfterCollection();
    expect(after).toBeLessThan(before * 1.1);
  }, 60_000);
});
