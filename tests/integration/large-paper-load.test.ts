import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { roomLimits } from "../../server/config";
import { createLogger } from "../../server/logger";
import { loadPaper, loadWorkers } from "../../server/papers/yjs/load-in-parts";
import { openSqliteStore } from "../../server/store/sqlite";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { removeDatabase, type ServerRuntime, type SpawnedServer, spawnServer } from "../support/spawn-server";
import { studentCookies } from "../support/student-cookie";
import { eventually, temporaryDatabasePath, testConfig } from "../support/test-server";

const SECRET = "large-paper-secret-large-paper-secret-01";
/** Low, so a paper of a few hundred paragraphs takes the path a large one takes. */
const ENV = { SESSION_SECRET: SECRET, LOAD_IN_PARTS_AFTER_BYTES: "1024" };
const COMPILED = existsSync("build/caucus-server.js") && existsSync("build/caucus-load-worker.js");

/**
 * A paper past LOAD_IN_PARTS_AFTER_BYTES is built in a worker thread and applied in parts
 * (decision 179). Both ways the server runs start that worker from a different file (tsx's loader
 * from source, build/caucus-load-worker.js compiled), so both are tried.
 */
describe.each<ServerRuntime>(["source", "build"])("a large paper after a restart (%s)", (runtime) => {
  const database = temporaryDatabasePath();
  let server: SpawnedServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    removeDatabase(database.path);
  });

  it.skipIf(runtime === "build" && !COMPILED)(
    "loads in parts off the main thread and is the same paper, concurrent edits and deletions included",
    async () => {
      server = await spawnServer({ databasePath: database.path, env: ENV, runtime });
      const store = openSqliteStore(database.path);
      const [debate] = await store.listDebates();
      const [team] = await store.listTeams(debate!.id);
      const docId = paperDocumentId(team!.id);
      const cookieFor = studentCookies(store, SECRET);
      const student = (displayName: string) => cookieFor({ debateId: debate!.id, teamId: team!.id, displayName });

      const wsUrl = server.url.replace("http", "ws");
      const writers = await Promise.all(
        [0, 1, 2].map(async (index) => caucusClient(wsUrl, docId, await student(`Writer ${index}`))),
      );
      await Promise.all(writers.map((writer) => writer.synced()));
      // Three students pasting at once (one update each: a connection may not queue hundreds of
      // frames), so the paper holds concurrent inserts from several clients.
      for (const [index, writer] of writers.entries()) {
        writer.doc.transact(() => {
          for (let line = 0; line < 150; line++) writer.write(`student ${index}, line ${line}`);
        });
      }
      writers[0]!.doc.getXmlFragment(PAPER_FRAGMENT).delete(0, 40);
      await Promise.all(writers.map((writer) => writer.saved()));
      // Each writer has everything the others wrote once the paper is the same everywhere.
      await eventually(() => new Set(writers.map((writer) => writer.text())).size === 1);
      const expectedState = Y.encodeStateVector(writers[0]!.doc);
      const expectedText = writers[0]!.text();
      for (const writer of writers) writer.destroy();
      const readerCookie = await student("Reader");
      store.close();

      await server.stop();
      server = await spawnServer({ databasePath: database.path, env: ENV, runtime });
      const after = caucusClient(server.url.replace("http", "ws"), docId, readerCookie);
      await after.synced();
      expect(Y.encodeStateVector(after.doc)).toEqual(expectedState);
      expect(after.text()).toBe(expectedText);
      after.destroy();
      expect(server.output()).toMatch(new RegExp(`Loaded ${docId} \\(\\d+ bytes stored\\) in \\d+ parts`));
      expect(server.output()).not.toMatch(/did not rebuild|could not be cut/);
    },
  );
});

describe("large papers loading at once", () => {
  it("share two worker threads, the rest waiting their turn, and each loads whole", async () => {
    const papers = Array.from({ length: 5 }, (_, index) => {
      const doc = new Y.Doc();
      const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
      for (let line = 0; line < 300; line++) {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(`paper ${index}, line ${line}`)]);
        fragment.insert(fragment.length, [paragraph]);
      }
      return doc;
    });
    const limits = roomLimits(testConfig(":memory:", { loadInPartsAfterBytes: 1024 }));
    const logger = createLogger("silent");
    const loads = papers.map((paper, index) =>
      loadPaper(
        `paper-${index}`,
        { snapshot: Y.encodeStateAsUpdate(paper), updates: [], seqs: [], lastSeq: 0 },
        limits,
        logger,
      ),
    );
    await Promise.resolve();
    expect(loadWorkers()).toEqual({ running: 2, waiting: 3 });
    const built = await Promise.all(loads);
    expect(loadWorkers()).toEqual({ running: 0, waiting: 0 });
    for (const [index, { doc }] of built.entries()) {
      expect(doc.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(
        papers[index]!.getXmlFragment(PAPER_FRAGMENT).toString(),
      );
    }
  });
});
