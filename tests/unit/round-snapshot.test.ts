import { describe, expect, it } from "vitest";
import { BUILT_IN_FORMATS } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE } from "../../shared/rounds/round";
import { type RoundSnapshot, roundSnapshotSchema } from "../../shared/wire/events";

describe("the round snapshot schema the browser parses with", () => {
  it("reads what the server sends for every built-in format, running or idle", () => {
    for (const format of BUILT_IN_FORMATS) {
      const started = applyRoundCommand(INITIAL_ROUND_STATE, { type: "start" }, format, 1_000);
      if (!started.ok) throw new Error(started.reason);
      for (const round of [INITIAL_ROUND_STATE, started.state]) {
        const snapshot: RoundSnapshot = { debateId: "d1", format, round, serverNow: 2_000 };
        // Through JSON, as socket.io carries it.
        expect(roundSnapshotSchema.parse(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
      }
    }
  });

  it("refuses a snapshot that does not fit", () => {
    const good = { debateId: "d1", format: BUILT_IN_FORMATS[0], round: INITIAL_ROUND_STATE, serverNow: 0 };
    expect(roundSnapshotSchema.safeParse({ ...good, round: { state: "exploded", phaseIndex: 0 } }).success).toBe(false);
    expect(roundSnapshotSchema.safeParse({ ...good, format: { ...good.format, phases: "all" } }).success).toBe(false);
    expect(roundSnapshotSchema.safeParse({ ...good, serverNow: "now" }).success).toBe(false);
    expect(roundSnapshotSchema.safeParse(null).success).toBe(false);
  });
});
