import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createDebateFromPack } from "../../server/classroom/debates";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import type { RoundAuditEntry } from "../../server/store/types";
import { CLASSROOM_FORMAT } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE } from "../../shared/rounds/round";
import { temporaryDatabasePath, UNOWNED_DEBATE } from "../support/test-server";

const started = applyRoundCommand(INITIAL_ROUND_STATE, { type: "start" }, CLASSROOM_FORMAT, 1000);
if (!started.ok) throw new Error(started.reason);

const startEntry = (debateId: string): RoundAuditEntry => ({
  debateId,
  sessionId: "instructor",
  actorName: "Ms Okafor",
  command: { type: "start" },
  outcome: "applied",
  reason: null,
  phaseIndex: 0,
  serverTime: 1000,
});

/**
 * Round commands of many debates arriving together share one commit (server/store/sqlite-rounds.ts);
 * each caller must still hear "committed" only once its own rows are on disk, because the round
 * service broadcasts the state at that moment.
 */
describe("round commands committed together", () => {
  it("resolve each command only when another connection can read its state and audit entry", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debateIds: string[] = [];
    for (let index = 0; index < 12; index++) {
      debateIds.push((await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE)).id);
    }
    const reader = new Database(database.path, { readonly: true });
    const stateOf = reader.prepare<[string], { state_json: string }>(
      "SELECT state_json FROM rounds WHERE debate_id = ?",
    );
    const auditOf = reader.prepare<[string], { outcome: string }>(
      "SELECT outcome FROM round_commands WHERE debate_id = ?",
    );
    const seenWhenResolved = await Promise.all(
      debateIds.map((debateId) =>
        store.commitRoundCommand(startEntry(debateId), started.state).then(() => ({
          state: JSON.parse(stateOf.get(debateId)?.state_json ?? "null"),
          audit: auditOf.all(debateId).map((row) => row.outcome),
        })),
      ),
    );
    for (const seen of seenWhenResolved) expect(seen).toEqual({ state: started.state, audit: ["applied"] });
    reader.close();
    await store.close();
    database.remove();
  });

  it("reading one debate's round commits that debate's waiting command, not the other debates' of the same turn", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const other = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const reader = new Database(database.path, { readonly: true });
    const committedState = (debateId: string) =>
      reader
        .prepare<[string], { state_json: string }>("SELECT state_json FROM rounds WHERE debate_id = ?")
        .get(debateId)?.state_json ?? null;
    const committed = store.commitRoundCommand(startEntry(debate.id), started.state);
    // The round service reads a debate's round before each command: another debate's read in the
    // same turn leaves the waiting commit for the turn's one transaction.
    await store.getVersionedRound(other.id);
    expect(committedState(debate.id)).toBeNull();
    expect((await store.getVersionedRound(debate.id))?.round).toEqual(started.state);
    expect(JSON.parse(committedState(debate.id) ?? "null")).toEqual(started.state);
    await committed;
    reader.close();
    await store.close();
    database.remove();
  });

  it("a command that cannot be written fails alone; the others arriving with it are committed", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const other = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const results = await Promise.allSettled([
      store.commitRoundCommand(startEntry(debate.id), started.state),
      // No such debate: the foreign key refuses the row.
      store.commitRoundCommand(startEntry("no-such-debate"), started.state),
      store.commitRoundCommand(startEntry(other.id), started.state),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await store.getRound(debate.id)).toEqual(started.state);
    expect(await store.getRound(other.id)).toEqual(started.state);
    expect((await store.listRoundAudit(other.id)).map((entry) => entry.outcome)).toEqual(["applied"]);
    await store.close();
    database.remove();
  });

  it("a command still waiting for its commit when the store closes is written, not dropped", async () => {
    const database = temporaryDatabasePath();
    const store = openSqliteStore(database.path);
    const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
    const committed = store.commitRoundCommand(startEntry(debate.id), started.state);
    await store.close();
    await committed;
    const reopened = openSqliteStore(database.path);
    expect(await reopened.getRound(debate.id)).toEqual(started.state);
    await reopened.close();
    database.remove();
  });
});
