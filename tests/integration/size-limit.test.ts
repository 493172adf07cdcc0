import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/store/sqlite";
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

const LIMIT = 64 * 1024;
const CHUNK = "Realpolitik. ".repeat(600);

type Client = ReturnType<typeof caucusClient>;

/** Resolves "saved" once the server confirms, or "closed" with the close if it refuses instead. */
async function saveOrClose(client: Client): Promise<"saved" | { code: number; reason: string }> {
  const closesBefore = client.state.closes.length;
  let stop = false;
  const closed = (async () => {
    while (!stop && client.state.closes.length === closesBefore)
      await new Promise((resolve) => setTimeout(resolve, 10));
    return client.state.closes[closesBefore];
  })();
  const outcome = await Promise.race([client.saved().then(() => "saved" as const), closed]);
  stop = true;
  return outcome ?? "saved";
}

function fragmentLength(client: Client): number {
  return client.doc.getXmlFragment(PAPER_FRAGMENT).length;
}

describe("a full paper can always be cut back", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it("refuses growth past the limit saying how much room is left, accepts the deletion, then new edits, also after a restart", async () => {
    running = await startServer(database.path, { maxDocumentBytes: LIMIT });
    const paper = await firstPaper(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const filler = caucusClient(running.wsUrl, paper.docId, cookie);
    await filler.synced();
    const scaffold = fragmentLength(filler);
    let refusal: { code: number; reason: string } | null = null;
    for (let index = 0; index < 40 && !refusal; index++) {
      filler.write(`${index} ${CHUNK}`);
      const outcome = await saveOrClose(filler);
      if (outcome !== "saved") refusal = outcome;
    }
    filler.destroy();
    expect(refusal?.code).toBe(CloseCode.documentTooLarge);
    expect(refusal?.reason).toMatch(/^This paper is full \(\d+ KB left\): delete something/);

    const teammate = caucusClient(
      running.wsUrl,
      paper.docId,
      (await sessionCookie(running.server, { role: "student", ...paper })).cookie,
    );
    await teammate.synced();
    const fragment = teammate.doc.getXmlFragment(PAPER_FRAGMENT);
    fragment.delete(scaffold, fragment.length - scaffold);
    expect(await saveOrClose(teammate)).toBe("saved");
    teammate.write("a new paragraph after the clean-up");
    expect(await saveOrClose(teammate)).toBe("saved");
    teammate.destroy();

    await running.server.close();
    running = await startServer(database.path, { maxDocumentBytes: LIMIT });
    const after = caucusClient(running.wsUrl, paper.docId, cookie);
    await after.synced();
    expect(after.text()).toContain("a new paragraph after the clean-up");
    expect(after.text()).not.toContain("Realpolitik. Realpolitik.");
    after.write("and still more after the restart");
    expect(await saveOrClose(after)).toBe("saved");
    after.destroy();
  });

  it("refuses a hidden shared type at the edge, and a paper filled by one in its stored log loads without it", async () => {
    running = await startServer(database.path, { maxDocumentBytes: LIMIT });
    const paper = await firstPaper(running);
    const { cookie, session } = await sessionCookie(running.server, { role: "student", ...paper });
    const hidden = new Y.Doc();
    hidden.getText("notes").insert(0, "h".repeat(LIMIT));
    const hiddenUpdate = Y.encodeStateAsUpdate(hidden);
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${running!.wsUrl}/yjs/${paper.docId}`, { headers: { cookie } });
      socket.on("open", () => socket.send(encodeYjsFrame.update(hiddenUpdate)));
      socket.on("close", (closeCode) => resolve(closeCode));
    });
    expect(code).toBe(CloseCode.changeRefused);

    // What an older server let in: the hidden type fills the paper in its stored log.
    await running.server.close();
    running = undefined;
    const store = openSqliteStore(database.path);
    await store.appendUpdate(paper.docId, hiddenUpdate, session.id);
    await store.close();
    running = await startServer(database.path, { maxDocumentBytes: LIMIT });
    const student = caucusClient(running.wsUrl, paper.docId, cookie);
    await student.synced();
    student.write("the paper takes edits again");
    expect(await saveOrClose(student)).toBe("saved");
    expect(await running.server.store.listQuarantinedUpdates(paper.docId)).toHaveLength(1);
    student.destroy();
  });

  it("never refuses a team that writes and deletes far more than the limit while the paper stays small", async () => {
    running = await startServer(database.path, { maxDocumentBytes: LIMIT, compactAfterLogBytes: 1024 * 1024 });
    const paper = await firstPaper(running);
    const { cookie } = await sessionCookie(running.server, { role: "student", ...paper });
    const writer = caucusClient(running.wsUrl, paper.docId, cookie);
    await writer.synced();
    const scaffold = fragmentLength(writer);
    for (let round = 0; round < 20; round++) {
      writer.write(`${round} ${CHUNK}`);
      expect(await saveOrClose(writer)).toBe("saved");
      writer.doc.getXmlFragment(PAPER_FRAGMENT).delete(scaffold, 1);
      expect(await saveOrClose(writer)).toBe("saved");
    }
    // 20 × ~8 KB written: more than twice the limit in total.
    expect(20 * CHUNK.length).toBeGreaterThan(2 * LIMIT);
    expect(writer.state.closes).toEqual([]);
    writer.destroy();
  });

  it("shows the paper's size against its limit and restores a named snapshot while students are connected", async () => {
    running = await startServer(database.path, { maxDocumentBytes: LIMIT });
    const paper = await firstPaper(running);
    const instructor = await sessionCookie(running.server, { role: "instructor", debateId: paper.debateId });
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
    amira.write("kept in the snapshot");
    await amira.saved();
    const snapshot = await running.server.papers.lock(paper.teamId, "Before the mess, 10:42:00");
    await running.server.papers.unlock(paper.teamId);
    await eventually(() => amira.state.notice?.access === "write", 3000, "the paper to reopen");
    amira.write("written after the snapshot");
    await amira.saved();
    await eventually(() => ben.text().includes("written after the snapshot"), 3000, "Ben to see it");

    const before = await running.server.services.controlView(instructor.session, paper.debateId);
    if (!before.ok) throw new Error(before.reason);
    const health = before.view.papers.find((entry) => entry.teamId === paper.teamId)!;
    expect(health.limitBytes).toBe(LIMIT);
    expect(health.bytes).toBeGreaterThan(0);
    expect(health.bytes).toBeLessThan(LIMIT);
    expect(health.snapshots).toEqual([{ id: snapshot.id, name: "Before the mess, 10:42:00" }]);

    const restored = await running.server.services.control(instructor.session, paper.debateId, {
      intent: "restore",
      snapshotId: snapshot.id,
    });
    expect(restored).toEqual({ ok: true, deleted: false });
    for (const student of [amira, ben]) {
      await eventually(() => !student.text().includes("written after the snapshot"), 3000, "editors to follow");
      expect(student.text()).toContain("kept in the snapshot");
    }
    const stored = await storedPaperText(running.server.store, paper.docId);
    expect(stored).toContain("kept in the snapshot");
    expect(stored).not.toContain("written after the snapshot");
    // Students go on editing the restored paper.
    ben.write("after the restore");
    await ben.saved();
    await eventually(() => amira.text().includes("after the restore"), 3000, "Amira to see Ben's edit");
    amira.destroy();
    ben.destroy();
    database.remove();
  });
});
