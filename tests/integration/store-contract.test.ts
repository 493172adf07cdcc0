import { describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { createDebateFromPack } from "../../server/classroom/debates";
import { newId } from "../../server/ids";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openPostgresStore } from "../../server/store/postgres";
import { SNAPSHOT_PART_BYTES } from "../../server/store/snapshot-parts";
import { openSqliteStore } from "../../server/store/sqlite";
import { StaleRoundError, type Store } from "../../server/store/types";
import { WORLD_SCHOOLS_RUBRIC } from "../../shared/judging/rubrics";
import { EMPTY_BALLOT } from "../../shared/judging/rules";
import { paperDocumentId } from "../../shared/papers/documents";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE, type RoundCommand } from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";
import type { ParticipantSession } from "../../shared/session";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";

interface Engine {
  name: string;
  /** Several server processes (nodes) may share one database of this engine at once. */
  sharedByNodes: boolean;
  /**
   * Opens a fresh, empty store; `reopen` opens the same data again, as after a restart, or as a
   * second node on the same database while the first is still open.
   */
  open(): Promise<{
    store: Store;
    reopen(): Promise<Store>;
    cleanup(): Promise<void>;
    /** Ends every connection to the database from the server side (engines shared by nodes). */
    dropConnections?(): Promise<void>;
  }>;
}

const ENGINES: Engine[] = [
  {
    name: "SQLite",
    sharedByNodes: false,
    async open() {
      const database = temporaryDatabasePath();
      return {
        store: openSqliteStore(database.path),
        reopen: async () => openSqliteStore(database.path),
        cleanup: async () => database.remove(),
      };
    },
  },
];
if (await postgresReachable("store contract: PostgreSQL")) {
  ENGINES.push({
    name: "PostgreSQL",
    sharedByNodes: true,
    async open() {
      const database = await createTestDatabase();
      return {
        store: await openPostgresStore(database.url),
        reopen: () => openPostgresStore(database.url),
        cleanup: database.drop,
        dropConnections: database.terminateConnections,
      };
    },
  });
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getXmlFragment(PAPER_FRAGMENT).toString();
}

function paragraph(text: string): Uint8Array {
  const doc = new Y.Doc();
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [element]);
  return Y.encodeStateAsUpdate(doc);
}

/** The storage contract: every engine we support must pass the same suite. */
for (const engine of ENGINES) {
  describe(`store contract: ${engine.name}`, () => {
    it("creates a debate with its teams, codes and scaffolded papers", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      expect(await store.getDebate(debate.id)).toEqual(debate);
      expect(debate.revealPolicy).toBe("after-lock");
      expect(await store.findDebateByJoinCode(debate.studentCode)).toEqual({ debate, role: "student" });
      expect(await store.findDebateByJoinCode(debate.judgeCode)).toEqual({ debate, role: "judge" });
      expect(await store.findDebateByJoinCode("NOPE99")).toBeUndefined();
      expect(await store.findDebateByAudienceKey(debate.audienceKey)).toEqual(debate);
      const teams = await store.listTeams(debate.id);
      expect(teams.map((team) => team.name)).toEqual(["Realpolitik", "Democracy promotion"]);
      expect(await store.getTeam(teams[0]!.id)).toEqual(teams[0]);
      const paper = await store.loadDocument(paperDocumentId(teams[0]!.id));
      expect(textOf(paper!.updates)).toContain("Thesis");
      expect(await store.loadDocument("paper.unknown")).toBeUndefined();
      await store.close();
      await cleanup();
    });

    it("keeps sessions and their team", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const session: ParticipantSession = {
        id: newId(),
        role: "student",
        accountId: null,
        displayName: "Amira",
        debateId: debate.id,
        teamId: null,
        color: "#047857",
      };
      await store.createSession(session);
      expect(await store.getSession(session.id)).toEqual(session);
      await store.setSessionTeam(session.id, team!.id);
      expect((await store.getSession(session.id))?.teamId).toBe(team!.id);
      expect(await store.getSession("missing")).toBeUndefined();
      await store.close();
      await cleanup();
    });

    it("appends updates in order, compacts them atomically, and survives a reopen", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      const first = await store.appendUpdate(docId, paragraph("one"), null);
      const second = await store.appendUpdate(docId, paragraph("two"), null);
      expect(second).toBeGreaterThan(first);
      const loaded = await store.loadDocument(docId);
      expect(loaded!.lastSeq).toBe(second);

      const merged = Y.mergeUpdates(loaded!.updates);
      await store.compactDocument(docId, merged, second);
      const third = await store.appendUpdate(docId, paragraph("three"), null);
      const compacted = await store.loadDocument(docId);
      expect(compacted!.updates).toHaveLength(1);
      expect(compacted!.lastSeq).toBe(third);
      await store.close();

      const again = await reopen();
      const reloaded = await again.loadDocument(docId);
      const text = textOf([reloaded!.snapshot!, ...reloaded!.updates]);
      for (const word of ["Thesis", "one", "two", "three"]) expect(text).toContain(word);
      await again.close();
      await cleanup();
    });

    it("moves a log entry to quarantine with its author and time, and sizes a document without reading it", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      const scaffold = await store.loadDocument(docId);
      const bad = new Uint8Array([9, 9, 9]);
      const before = Date.now();
      const keptUpdate = paragraph("kept");
      const seq = await store.appendUpdate(docId, bad, "s1");
      const kept = await store.appendUpdate(docId, keptUpdate, "s2");
      const total = scaffold!.updates[0]!.byteLength + bad.byteLength + keptUpdate.byteLength;
      expect(await store.storedDocumentBytes(docId)).toBe(total);
      expect((await store.loadDocument(docId))!.seqs).toEqual([scaffold!.seqs[0], seq, kept]);

      await store.quarantineUpdate(docId, seq, "Invalid Yjs update");
      await store.close();
      const again = await reopen();
      const loaded = await again.loadDocument(docId);
      expect(loaded!.seqs).toEqual([scaffold!.seqs[0], kept]);
      expect(textOf(loaded!.updates)).toContain("kept");
      const [quarantined] = await again.listQuarantinedUpdates(docId);
      expect(quarantined).toEqual({
        seq,
        docId,
        sessionId: "s1",
        createdAt: expect.any(Number),
        quarantinedAt: expect.any(Number),
        reason: "Invalid Yjs update",
      });
      // Kept to the second at least (SQLite keeps seconds: decision 180).
      expect(quarantined!.createdAt).toBeGreaterThanOrEqual(before - (before % 1000));
      expect(quarantined!.createdAt).toBeLessThanOrEqual(Date.now());
      expect(await again.storedDocumentBytes(docId)).toBe(total - bad.byteLength);
      expect(await again.storedDocumentBytes("paper.unknown")).toBe(0);
      await again.deleteDebate(debate.id);
      expect(await again.listQuarantinedUpdates(docId)).toEqual([]);
      await again.close();
      await cleanup();
    });

    it("keeps each entry's time, to the second, when the entries around it are compacted or set aside", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      const scaffold = (await store.loadDocument(docId))!.updates;
      const morning = Date.parse("2026-11-30T09:00:00.250Z");
      const later = morning + 5_750;
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        const at = async (time: number, text: string) => {
          vi.setSystemTime(time);
          return store.appendUpdate(docId, paragraph(text), "s1");
        };
        const first = await at(morning, "first");
        const second = await at(morning + 300, "second");
        const third = await at(morning + 600, "third");
        const fourth = await at(later, "fourth");
        const fifth = await at(later + 100, "fifth");
        vi.setSystemTime(later + 60_000);
        await store.compactDocument(docId, Y.mergeUpdates([...scaffold, paragraph("first")]), first);
        await store.quarantineUpdate(docId, second, "set aside after its second's first entry was compacted");
        await store.close();

        const again = await reopen();
        await again.quarantineUpdate(docId, third, "set aside after the entry it followed");
        await again.quarantineUpdate(docId, fourth, "the first of its second");
        await again.quarantineUpdate(docId, fifth, "after the first of its second was set aside");
        const writtenAt = new Map(
          (await again.listQuarantinedUpdates(docId)).map((entry) => [entry.seq, entry.createdAt]),
        );
        for (const [seq, time] of [
          [second, morning + 300],
          [third, morning + 600],
          [fourth, later],
          [fifth, later + 100],
        ] as const) {
          expect(writtenAt.get(seq)).toBeGreaterThanOrEqual(time - (time % 1000));
          expect(writtenAt.get(seq)).toBeLessThanOrEqual(time);
        }
        await again.close();
      } finally {
        vi.useRealTimers();
        await cleanup();
      }
    });

    it("counts contributions per session and minute", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      await store.appendUpdate(docId, paragraph("abc"), "s1", { inserted: 3, deleted: 0 });
      await store.appendUpdate(docId, paragraph("d"), "s1", { inserted: 1, deleted: 2 });
      await store.appendUpdate(docId, paragraph("e"), "s2", { inserted: 1, deleted: 0 });
      await store.appendUpdate(docId, paragraph("f"), null, { inserted: 1, deleted: 0 });
      const counts = await store.listContributions(docId);
      const totals = Object.fromEntries(
        ["s1", "s2"].map((id) => [
          id,
          counts
            .filter((c) => c.sessionId === id)
            .reduce((sum, c) => [sum[0]! + c.inserted, sum[1]! + c.deleted], [0, 0]),
        ]),
      );
      expect(totals).toEqual({ s1: [4, 2], s2: [1, 0] });
      expect(counts.every((c) => c.minuteStart % 60_000 === 0)).toBe(true);
      await store.close();
      await cleanup();
    });

    it("locks papers, reveals them, and keeps named snapshots", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      await store.setPaperLocked(team!.id, true, "the end of Drafting");
      expect(await store.getTeam(team!.id)).toMatchObject({
        paperLocked: true,
        paperLockReason: "the end of Drafting",
      });
      await store.setPaperLocked(team!.id, false);
      expect(await store.getTeam(team!.id)).toMatchObject({ paperLocked: false, paperLockReason: null });
      await store.setPaperLocked(team!.id, true);
      expect(await store.getTeam(team!.id)).toMatchObject({ paperLocked: true, paperLockReason: null });
      await store.updateDebateSettings(debate.id, { revealPolicy: "always" });
      expect((await store.getDebate(debate.id))?.revealPolicy).toBe("always");
      const snapshot = { id: newId(), teamId: team!.id, name: "end of Drafting", state: paragraph("x"), createdAt: 1 };
      await store.addPaperSnapshot(snapshot);
      expect(await store.listPaperSnapshots(team!.id)).toEqual([snapshot]);
      expect(await store.getPaperSnapshot(snapshot.id)).toEqual(snapshot);
      await store.close();
      await cleanup();
    });

    it("keeps round state with its audit trail, and settings", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      expect(await store.getRound(debate.id)).toBeUndefined();
      const started = applyRoundCommand(INITIAL_ROUND_STATE, { type: "start" }, CLASSROOM_FORMAT, 1000);
      if (!started.ok) throw new Error(started.reason);
      const entry = {
        debateId: debate.id,
        sessionId: "s1",
        actorName: "Ms Okafor",
        command: { type: "start" as const },
        phaseIndex: 0,
        serverTime: 1000,
      };
      await store.commitRoundCommand({ ...entry, outcome: "applied", reason: null }, started.state);
      await store.commitRoundCommand(
        { ...entry, outcome: "refused", reason: "already running", serverTime: 2000 },
        null,
      );
      expect(await store.getRound(debate.id)).toEqual(started.state);
      expect((await store.listRoundAudit(debate.id)).map((audit) => audit.outcome)).toEqual(["applied", "refused"]);
      expect(await store.listRounds()).toEqual([{ debateId: debate.id, round: started.state }]);
      await store.setSetting("key", "one");
      await store.setSetting("key", "two");
      expect(await store.getSetting("key")).toBe("two");
      expect(await store.getSetting("missing")).toBeUndefined();
      await store.close();
      await cleanup();
    });

    it("stores updates sent together (one group commit) in call order, each acknowledged with its own number", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const teams = await store.listTeams(debate.id);
      const docIds = teams.map((team) => paperDocumentId(team.id));
      const words = Array.from({ length: 30 }, (_, index) => `together${index}`);
      const seqs = await Promise.all(
        words.map((word, index) => store.appendUpdate(docIds[index % 2]!, paragraph(word), `s${index % 3}`)),
      );
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(words.length);
      // One update for a paper that does not exist fails alone; the others of its batch are stored.
      const mixed = await Promise.allSettled([
        store.appendUpdate(docIds[0]!, paragraph("before"), "s1"),
        store.appendUpdate("paper.unknown", paragraph("nowhere"), "s1"),
        store.appendUpdate(docIds[1]!, paragraph("after"), "s2"),
      ]);
      expect(mixed.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      await store.close();
      const again = await reopen();
      const texts = await Promise.all(docIds.map(async (docId) => textOf((await again.loadDocument(docId))!.updates)));
      for (const [index, word] of words.entries()) expect(texts[index % 2]).toContain(word);
      expect(texts[0]).toContain("before");
      expect(texts[1]).toContain("after");
      await again.close();
      await cleanup();
    });

    it("folds a snapshot larger than one part, reads it back whole after a reopen, and the next fold replaces it", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      const seq = await store.appendUpdate(docId, paragraph("a long paragraph ".repeat(40_000)), null);
      const large = Y.mergeUpdates((await store.loadDocument(docId))!.updates);
      expect(large.byteLength).toBeGreaterThan(2 * SNAPSHOT_PART_BYTES);
      await store.compactDocument(docId, large, seq);
      expect(await store.storedDocumentBytes(docId)).toBe(large.byteLength);
      await store.close();

      const again = await reopen();
      const reloaded = (await again.loadDocument(docId))!;
      expect(Buffer.compare(reloaded.snapshot!, large)).toBe(0);
      expect(reloaded.updates).toEqual([]);
      expect(reloaded.lastSeq).toBe(seq);
      const next = await again.appendUpdate(docId, paragraph("after"), null);
      const small = Y.mergeUpdates([paragraph("short again"), paragraph("after")]);
      await again.compactDocument(docId, small, next);
      const replaced = (await again.loadDocument(docId))!;
      expect(replaced.snapshot).toEqual(small);
      expect(replaced.updates).toEqual([]);
      expect(await again.storedDocumentBytes(docId)).toBe(small.byteLength);
      await again.close();
      await cleanup();
    });

    it("ignores a compaction through an older sequence number than the stored snapshot's", async () => {
      const { store, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [team] = await store.listTeams(debate.id);
      const docId = paperDocumentId(team!.id);
      const first = await store.appendUpdate(docId, paragraph("one"), null);
      const older = Y.mergeUpdates((await store.loadDocument(docId))!.updates);
      const second = await store.appendUpdate(docId, paragraph("two"), null);
      await store.compactDocument(docId, Y.mergeUpdates((await store.loadDocument(docId))!.updates), second);
      await store.compactDocument(docId, older, first);
      const loaded = await store.loadDocument(docId);
      expect(loaded!.lastSeq).toBe(second);
      expect(textOf([loaded!.snapshot!, ...loaded!.updates])).toContain("two");
      await store.close();
      await cleanup();
    });

    it("lets one of two writers of the same round win; the other re-applies its command to the new state", async () => {
      const { store: nodeA, reopen, cleanup } = await engine.open();
      const nodeB = await reopen();
      const debate = await createDebateFromPack(nodeA, ESSAY_PACK, UNOWNED_DEBATE);
      expect(await nodeA.getVersionedRound(debate.id)).toBeUndefined();
      const entry = (sessionId: string, command: RoundCommand, serverTime: number) => ({
        debateId: debate.id,
        sessionId,
        actorName: sessionId,
        command,
        outcome: "applied" as const,
        reason: null,
        phaseIndex: 0,
        serverTime,
      });
      const applied = (state: RoundState, command: RoundCommand, at: number) => {
        const outcome = applyRoundCommand(state, command, CLASSROOM_FORMAT, at);
        if (!outcome.ok) throw new Error(outcome.reason);
        return outcome.state;
      };
      // Both nodes read version 0 and compute a start from the initial state at once.
      const results = await Promise.allSettled([
        nodeA.commitRoundCommand(
          entry("a", { type: "start" }, 1000),
          applied(INITIAL_ROUND_STATE, { type: "start" }, 1000),
          0,
        ),
        nodeB.commitRoundCommand(
          entry("b", { type: "start" }, 1001),
          applied(INITIAL_ROUND_STATE, { type: "start" }, 1001),
          0,
        ),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const [lost] = results.filter((result) => result.status === "rejected");
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(StaleRoundError);
      const loser = results[0]!.status === "rejected" ? nodeA : nodeB;

      const fresh = await loser.getVersionedRound(debate.id);
      expect(fresh!.version).toBe(1);
      expect(fresh!.round.state).toBe("running");
      await loser.commitRoundCommand(
        entry("late", { type: "pause" }, 2000),
        applied(fresh!.round, { type: "pause" }, 2000),
        1,
      );
      // A stale writer never overwrites: the version moved on, so version 1 is refused again.
      await expect(
        nodeA.commitRoundCommand(
          entry("stale", { type: "start" }, 3000),
          applied(INITIAL_ROUND_STATE, { type: "start" }, 3000),
          1,
        ),
      ).rejects.toBeInstanceOf(StaleRoundError);

      const final = await nodeB.getVersionedRound(debate.id);
      expect(final!.version).toBe(2);
      expect(final!.round.state).toBe("paused");
      // A format change resets the round: it too is refused when computed from an older version.
      await expect(
        nodeA.setDebateFormat(debate.id, CLASSROOM_FORMAT.id, INITIAL_ROUND_STATE, 1),
      ).rejects.toBeInstanceOf(StaleRoundError);
      expect((await nodeA.getVersionedRound(debate.id))!.round.state).toBe("paused");
      await nodeB.setDebateFormat(debate.id, CLASSROOM_FORMAT.id, INITIAL_ROUND_STATE, 2);
      expect(await nodeA.getVersionedRound(debate.id)).toEqual({ round: INITIAL_ROUND_STATE, version: 3 });
      expect((await nodeA.listRoundAudit(debate.id)).map((audit) => [audit.sessionId, audit.command.type])).toEqual([
        [results[0]!.status === "fulfilled" ? "a" : "b", "start"],
        ["late", "pause"],
      ]);
      await nodeA.close();
      await nodeB.close();
      await cleanup();
    });

    it.runIf(engine.sharedByNodes)(
      "numbers the updates of two nodes writing one paper uniquely, and both read all of them",
      async () => {
        const { store: nodeA, reopen, cleanup } = await engine.open();
        const nodeB = await reopen();
        const debate = await createDebateFromPack(nodeA, ESSAY_PACK, UNOWNED_DEBATE);
        const [team] = await nodeA.listTeams(debate.id);
        const docId = paperDocumentId(team!.id);
        const words = Array.from({ length: 40 }, (_, index) => `word${index}`);
        const seqs = await Promise.all(
          words.map((word, index) =>
            (index % 2 === 0 ? nodeA : nodeB).appendUpdate(docId, paragraph(word), `s${index % 2}`),
          ),
        );
        expect(new Set(seqs).size).toBe(words.length);
        const fromA = await nodeA.loadDocument(docId);
        expect(fromA).toEqual(await nodeB.loadDocument(docId));
        for (const word of words) expect(textOf(fromA!.updates)).toContain(word);

        // Both nodes compact what they read at once: one snapshot wins, nothing is lost.
        const merged = Y.mergeUpdates(fromA!.updates);
        await Promise.all([
          nodeA.compactDocument(docId, merged, fromA!.lastSeq),
          nodeB.compactDocument(docId, merged, fromA!.lastSeq),
        ]);
        const late = await nodeB.appendUpdate(docId, paragraph("late"), "s1");
        const compacted = await nodeA.loadDocument(docId);
        expect(compacted!.seqs).toEqual([late]);
        const text = textOf([compacted!.snapshot!, ...compacted!.updates]);
        for (const word of [...words, "late"]) expect(text).toContain(word);
        await nodeA.close();
        await nodeB.close();
        await cleanup();
      },
    );

    it.runIf(engine.sharedByNodes)("keeps serving after the database server drops its idle connections", async () => {
      const { store, cleanup, dropConnections } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      // What a database restart or failover does to the pool's idle connections.
      await dropConnections!();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await store.getDebate(debate.id)).toEqual(debate);
      await store.close();
      await cleanup();
    });

    it("keeps judging settings, one ballot per judge and one audience vote per moment; they go with their session", async () => {
      const { store, reopen, cleanup } = await engine.open();
      const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
      const [teamA, teamB] = await store.listTeams(debate.id);
      const participant = (role: "judge" | "audience"): ParticipantSession => ({
        id: newId(),
        role,
        displayName: role,
        debateId: debate.id,
        accountId: null,
        teamId: null,
        color: "#047857",
      });
      const judge = participant("judge");
      const viewer = participant("audience");
      await store.createSession(judge);
      await store.createSession(viewer);

      expect(await store.getJudgingSettings(debate.id)).toBeUndefined();
      const settings = {
        rubric: WORLD_SCHOOLS_RUBRIC,
        customRubric: null,
        chairSessionId: judge.id,
        releaseStage: "scores" as const,
      };
      await store.saveJudgingSettings(debate.id, settings);
      await store.saveJudgingSettings(debate.id, { ...settings, customRubric: WORLD_SCHOOLS_RUBRIC });
      expect(await store.getJudgingSettings(debate.id)).toEqual({ ...settings, customRubric: WORLD_SCHOOLS_RUBRIC });

      const ballot = {
        judgeSessionId: judge.id,
        debateId: debate.id,
        status: "draft" as const,
        content: { ...EMPTY_BALLOT, scores: { "t~arg1": { content: 3 as const } }, winnerTeamId: teamA!.id },
        updatedAt: 1,
        submittedAt: null,
      };
      await store.saveBallot(ballot);
      const submitted = { ...ballot, status: "submitted" as const, updatedAt: 2, submittedAt: 2 };
      await store.saveBallot(submitted);
      expect(await store.listBallots(debate.id)).toEqual([submitted]);

      await store.saveAudienceVote({
        sessionId: viewer.id,
        moment: "before",
        debateId: debate.id,
        teamId: teamA!.id,
        votedAt: 1,
      });
      await store.saveAudienceVote({
        sessionId: viewer.id,
        moment: "before",
        debateId: debate.id,
        teamId: teamB!.id,
        votedAt: 2,
      });
      await store.saveAudienceVote({
        sessionId: viewer.id,
        moment: "after",
        debateId: debate.id,
        teamId: teamB!.id,
        votedAt: 3,
      });
      expect((await store.listAudienceVotes(debate.id)).map((vote) => [vote.moment, vote.teamId])).toEqual([
        ["before", teamB!.id],
        ["after", teamB!.id],
      ]);
      await store.close();

      const again = await reopen();
      expect(await again.getBallot(judge.id)).toEqual(submitted);
      // A judge removed mid-round takes their ballot along, and stops being the chair.
      await again.deleteSession(judge.id);
      await again.deleteSession(viewer.id);
      expect(await again.listBallots(debate.id)).toEqual([]);
      expect(await again.listAudienceVotes(debate.id)).toEqual([]);
      expect((await again.getJudgingSettings(debate.id))?.chairSessionId).toBeNull();
      await again.close();
      await cleanup();
    });
  });
}
