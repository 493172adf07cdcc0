import { describe, expect, it } from "vitest";
import { BUILT_IN_FORMATS } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE } from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";
import type { RoundSnapshot } from "../../shared/wire/events";
import { readRoundSnapshot } from "../../shared/wire/round-snapshot";

/** Every state the clock reaches from the start of a format: idle, running, paused, prep and finished. */
function statesOf(format: (typeof BUILT_IN_FORMATS)[number]): RoundState[] {
  const states: RoundState[] = [INITIAL_ROUND_STATE];
  let now = 1_000;
  for (const command of [
    { type: "prep-start", side: 0 },
    { type: "prep-stop" },
    { type: "start" },
    { type: "pause" },
    { type: "resume" },
    ...format.phases.map(() => ({ type: "next" }) as const),
  ] as const) {
    now += 500;
    const next = applyRoundCommand(states.at(-1)!, command, format, now);
    if (next.ok) states.push(next.state);
  }
  return states;
}

describe("what a page checks of a round snapshot", () => {
  it("reads what the server sends for every built-in format, in every state the clock reaches", () => {
    const seen = new Set<string>();
    for (const format of BUILT_IN_FORMATS) {
      for (const round of statesOf(format)) {
        seen.add(round.state);
        const snapshot: RoundSnapshot = { debateId: "d1", format, round, serverNow: 2_000 };
        // Through JSON, as socket.io carries it.
        expect(readRoundSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
      }
    }
    expect([...seen].sort()).toEqual(["finished", "idle", "paused", "running"]);
  });

  it("refuses a snapshot the page could not draw", () => {
    const format = BUILT_IN_FORMATS[0]!;
    const good = { debateId: "d1", format, round: INITIAL_ROUND_STATE, serverNow: 0 };
    expect(readRoundSnapshot(good)).toEqual(good);
    const refused = [
      null,
      "snapshot",
      { ...good, round: { ...INITIAL_ROUND_STATE, state: "exploded" } },
      { ...good, round: { ...INITIAL_ROUND_STATE, state: "running" } },
      { ...good, round: { ...INITIAL_ROUND_STATE, phaseIndex: format.phases.length } },
      { ...good, round: { ...INITIAL_ROUND_STATE, prep: null } },
      { ...good, format: { ...format, phases: "all" } },
      { ...good, format: { ...format, phases: [] } },
      { ...good, format: { ...format, phases: [{ ...format.phases[0], durationMs: "long" }] } },
      { ...good, format: { ...format, sideLabels: ["Pro"] } },
      { ...good, serverNow: "now" },
      { ...good, debateId: 7 },
    ];
    for (const wire of refused) expect(readRoundSnapshot(wire)).toBeNull();
  });
});
