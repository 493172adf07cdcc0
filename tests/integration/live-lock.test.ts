import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { eventually, serverForSuite, sessionCookie } from "../support/test-server";

const WRITERS = 30;
const LOCK_DEADLINE_MS = 500;

describe("locking a paper while 30 students write", () => {
  const suite = serverForSuite();

  it("turns every connection read-only within 500 ms and stores nothing sent afterwards", async () => {
    const { store } = suite.running.server;
    const [debate] = await store.listDebates();
    const [team] = await store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const writers = await Promise.all(
      Array.from({ length: WRITERS }, async (_, index) => {
        const { cookie } = await sessionCookie(suite.running.server, {
          role: "student",
          debateId: debate!.id,
          teamId: team!.id,
          displayName: `Student ${index}`,
        });
        return caucusClient(suite.running.wsUrl, docId, cookie);
      }),
    );
    await Promise.all(writers.map((writer) => writer.synced()));
    for (const [index, writer] of writers.entries()) writer.write(`before lock ${index}`);
    await Promise.all(writers.map((writer) => writer.saved()));
    expect(writers.every((writer) => writer.state.notice?.access === "write")).toBe(true);

    const lockedAt = Date.now();
    const snapshot = await suite.running.server.papers.lock(team!.id, "Realpolitik paper — end of Drafting");
    await eventually(() => writers.every((writer) => writer.state.notice?.access === "read"), LOCK_DEADLINE_MS);
    const slowest = Math.max(...writers.map((writer) => writer.state.noticeAt)) - lockedAt;
    expect(slowest).toBeLessThanOrEqual(LOCK_DEADLINE_MS);
    expect(writers[0]!.state.notice?.reason).toMatch(/locked/);

    const logBefore = (await store.loadDocument(docId))!.lastSeq;
    for (const [index, writer] of writers.entries()) writer.write(`after lock ${index}`);
    await Promise.all(writers.map((writer) => writer.saved()));
    expect(writers.every((writer) => writer.state.refusedUpdates >= 1)).toBe(true);
    expect((await store.loadDocument(docId))!.lastSeq).toBe(logBefore);

    const frozen = new Y.Doc();
    Y.applyUpdate(frozen, snapshot.state);
    const frozenText = frozen.getXmlFragment(PAPER_FRAGMENT).toString();
    for (let index = 0; index < WRITERS; index++) expect(frozenText).toContain(`before lock ${index}<`);
    expect(frozenText).not.toContain("after lock");
    const stored = await store.listPaperSnapshots(team!.id);
    expect(stored.map((entry) => entry.name)).toEqual(["Realpolitik paper — end of Drafting"]);
    for (const writer of writers) writer.destroy();
  }, 30_000);
});
