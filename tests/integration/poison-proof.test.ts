import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { CloseCode, PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { encodeYjsFrame } from "../../shared/wire/yjs-codec";
import { caucusClient } from "../support/caucus-client";
import {
  eventually,
  firstPaper,
  type RunningServer,
  sessionCookie,
  startServer,
  storedPaperText,
  temporaryDatabasePath,
} from "../support/test-server";

function nestedMapUpdate(depth: number): Uint8Array {
  const doc = new Y.Doc();
  let map = doc.getMap<unknown>("nested");
  for (let level = 0; level < depth; level++) {
    const next = new Y.Map<unknown>();
    map.set("child", next);
    map = next;
  }
  return Y.encodeStateAsUpdate(doc);
}

/** Sends one frame on a fresh connection and resolves with how the server closed it. */
function sendAndClose(url: string, cookie: string, frame: Uint8Array): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { cookie } });
    socket.on("open", () => socket.send(frame));
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on("error", reject);
  });
}

describe("poison-proof papers", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it("refuses a map nested 2,000 deep; the paper stays loadable and teammates' later edits arrive", async () => {
    running = await startServer(database.path);
    const paper = await firstPaper(running);
    const attacker = await sessionCookie(running.server, { role: "student", ...paper });
    const amira = caucusClient(
      running.wsUrl,
      paper.docId,
      (await sessionCookie(running.server, { role: "student", ...paper })).cookie,
    );
    const ben = caucusClient(
      running.wsUrl,
      paper.docId,
      (await sessionCookie(running.server, { role: "student", ...paper })).cookie,
    );
    await Promise.all([amira.synced(), ben.synced()]);

    const closed = await sendAndClose(
      `${running.wsUrl}/yjs/${paper.docId}`,
      attacker.cookie,
      encodeYjsFrame.update(nestedMapUpdate(2000)),
    );
    expect(closed.code).toBe(CloseCode.changeRefused);
    amira.write("written after the attack");
    await amira.saved();
    await eventually(() => ben.text().includes("written after the attack"), 3000, "Ben to receive Amira's edit");
    amira.write("and one more");
    await amira.saved();
    amira.destroy();
    ben.destroy();

    await running.server.close();
    running = await startServer(database.path);
    const reader = caucusClient(running.wsUrl, paper.docId, attacker.cookie);
    await reader.synced();
    expect(reader.text()).toContain("and one more");
    expect(await running.server.store.listQuarantinedUpdates(paper.docId)).toEqual([]);
    reader.destroy();
  });

  it("loads a paper whose log holds unappliable entries, sets them aside and tells the instructor", async () => {
    const store = openSqliteStore(database.path);
    running = await startServer(database.path, {}, { store });
    const paper = await firstPaper(running);
    const student = await sessionCookie(running.server, { role: "student", ...paper });
    const instructor = await sessionCookie(running.server, { role: "instructor", debateId: paper.debateId });
    // Written straight into the database, as an older server or a damaged disk could have left them.
    const garbage = await store.appendUpdate(paper.docId, new Uint8Array([1, 7, 200, 3, 99, 4]), student.session.id);
    const hidden = new Y.Doc();
    hidden.getText("hidden").insert(0, "junk the editor never shows");
    const hiddenSeq = await store.appendUpdate(paper.docId, Y.encodeStateAsUpdate(hidden), student.session.id);
    const good = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("the good entry after them")]);
    good.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
    await store.appendUpdate(paper.docId, Y.encodeStateAsUpdate(good), student.session.id);

    const client = caucusClient(running.wsUrl, paper.docId, student.cookie);
    await client.synced();
    expect(client.text()).toContain("the good entry after them");
    expect(client.text()).toContain("Thesis");
    const quarantined = await store.listQuarantinedUpdates(paper.docId);
    expect(quarantined.map((entry) => [entry.seq, entry.sessionId])).toEqual([
      [garbage, student.session.id],
      [hiddenSeq, student.session.id],
    ]);
    client.write("and it takes new edits");
    await client.saved();
    expect(await storedPaperText(store, paper.docId)).toContain("and it takes new edits");

    const control = await running.server.services.controlView(instructor.session, paper.debateId);
    if (!control.ok) throw new Error(control.reason);
    expect(control.view.papers.find((health) => health.teamId === paper.teamId)?.setAside).toBe(2);
    client.destroy();
  });

  it("shares a failed load between reconnects and backs off instead of reloading each time", async () => {
    const store = openSqliteStore(database.path);
    let loads = 0;
    const failing: Store = {
      ...store,
      async loadDocument() {
        loads++;
        throw new Error("simulated unreadable paper");
      },
    };
    running = await startServer(database.path, {}, { store: failing });
    const paper = await firstPaper(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const codes: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      codes.push(
        (await sendAndClose(`${running.wsUrl}/yjs/${paper.docId}`, cookie, encodeYjsFrame.queryAwareness())).code,
      );
    }
    expect(codes).toEqual(Array(10).fill(CloseCode.loadFailed));
    expect(loads).toBe(1);
    expect(running.server.yjs.registry.loadedCount).toBe(0);
    database.remove();
  });
});
