import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { CloseCode } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { paragraphUpdate, updateFrame } from "../support/raw-probe";
import {
  firstPaper,
  type RunningServer,
  sessionCookie,
  startServer,
  storedPaperText,
  temporaryDatabasePath,
} from "../support/test-server";

describe("room registry", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it("loads a document once when 30 students connect at the same instant", async () => {
    const store = openSqliteStore(database.path);
    let loads = 0;
    const counting: Store = {
      ...store,
      async loadDocument(docId) {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return store.loadDocument(docId);
      },
    };
    running = await startServer(database.path, {}, { store: counting });
    const paper = await firstPaper(running);
    const cookies = await Promise.all(
      Array.from(
        { length: 30 },
        async () => (await sessionCookie(running!.server, { role: "student", ...paper })).cookie,
      ),
    );
    const students = cookies.map((cookie) => caucusClient(running!.wsUrl, paper.docId, cookie));
    await Promise.all(students.map((student) => student.synced()));
    expect(loads).toBe(1);
    expect(new Set(students.map((student) => student.text())).size).toBe(1);
    for (const student of students) student.destroy();
  });

  it("closes with a reason when storing fails, stores nothing of it, and serves the retry", async () => {
    const store = openSqliteStore(database.path);
    let failNextAppend = true;
    const flaky: Store = {
      ...store,
      async appendUpdate(...args) {
        if (failNextAppend) {
          failNextAppend = false;
          throw new Error("simulated disk failure");
        }
        return store.appendUpdate(...args);
      },
    };
    running = await startServer(database.path, { logLevel: "silent" }, { store: flaky });
    const paper = await firstPaper(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(`${running!.wsUrl}/yjs/${paper.docId}`, { headers: { cookie } });
      socket.on("open", () => socket.send(updateFrame(paragraphUpdate("lost to the disk"))));
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(closed).toEqual({
      code: CloseCode.loadFailed,
      reason: "The server could not store your change; reconnecting",
    });

    const retry = caucusClient(running.wsUrl, paper.docId, cookie);
    await retry.synced();
    expect(retry.text()).not.toContain("lost to the disk");
    retry.write("stored on the retry");
    await retry.saved();
    const stored = await storedPaperText(running.server.store, paper.docId);
    expect(stored).toContain("stored on the retry");
    expect(stored).not.toContain("lost to the disk");
    retry.destroy();
    database.remove();
  });
});
