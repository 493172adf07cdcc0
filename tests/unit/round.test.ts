import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLASSROOM_FORMAT } from "../../shared/formats";
import {
  applyRoundCommand,
  elapsedMs,
  INITIAL_ROUND_STATE,
  phaseLengthMs,
  type RoundCommand,
  type RoundState,
  remainingMs,
} from "../../shared/round";

const format = CLASSROOM_FORMAT;
const drafting = format.phases[0]!.durationMs;

function apply(state: RoundState, command: RoundCommand, now: number): RoundState {
  const result = applyRoundCommand(state, command, format, now);
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

describe("round state machine", () => {
  it("starts, runs on the server clock, pauses and resumes", () => {
    const running = apply(INITIAL_ROUND_STATE, { type: "start" }, 1_000);
    expect(remainingMs(running, format, 11_000)).toBe(drafting - 10_000);
    const paused = apply(running, { type: "pause" }, 21_000);
    expect(paused).toEqual({ state: "paused", phaseIndex: 0, adjustmentMs: 0, elapsedMs: 20_000 });
    expect(remainingMs(paused, format, 999_999)).toBe(drafting - 20_000);
    const resumed = apply(paused, { type: "resume" }, 100_000);
    expect(remainingMs(resumed, format, 105_000)).toBe(drafting - 25_000);
  });

  it("counts into overtime after zero", () => {
    const running = apply(INITIAL_ROUND_STATE, { type: "start" }, 0);
    expect(remainingMs(running, format, drafting + 5_000)).toBe(-5_000);
  });

  it("moves between phases, ready to start, and finishes after the last", () => {
    let state = apply(INITIAL_ROUND_STATE, { type: "start" }, 0);
    state = apply(state, { type: "next" }, 10);
    expect(state).toEqual({ state: "idle", phaseIndex: 1, adjustmentMs: 0 });
    state = apply(state, { type: "previous" }, 20);
    expect(state.phaseIndex).toBe(0);
    for (let index = 0; index < format.phases.length; index++) state = apply(state, { type: "next" }, 30);
    expect(state.state).toBe("finished");
    expect(apply(state, { type: "previous" }, 40)).toEqual({
      state: "idle",
      phaseIndex: format.phases.length - 1,
      adjustmentMs: 0,
    });
  });

  it("adds and removes time without going below zero", () => {
    const longer = apply(INITIAL_ROUND_STATE, { type: "adjust", deltaMs: 30_000 }, 0);
    expect(phaseLengthMs(longer, format)).toBe(drafting + 30_000);
    const refused = applyRoundCommand(INITIAL_ROUND_STATE, { type: "adjust", deltaMs: -drafting - 1 }, format, 0);
    expect(refused).toEqual({ ok: false, reason: "A phase cannot be shorter than zero" });
  });

  it("refuses commands that make no sense in the current state, with a reason", () => {
    const running = apply(INITIAL_ROUND_STATE, { type: "start" }, 0);
    const paused = apply(running, { type: "pause" }, 1);
    const cases: [RoundState, RoundCommand, string][] = [
      [INITIAL_ROUND_STATE, { type: "pause" }, "Cannot pause: the phase is idle"],
      [INITIAL_ROUND_STATE, { type: "resume" }, "Cannot resume: the phase is idle"],
      [INITIAL_ROUND_STATE, { type: "previous" }, "Already at the first phase"],
      [running, { type: "start" }, "Cannot start: the phase is running"],
      [running, { type: "resume" }, "Cannot resume: the phase is running"],
      [paused, { type: "pause" }, "Cannot pause: the phase is paused"],
      [paused, { type: "start" }, "Cannot start: the phase is paused"],
    ];
    for (const [state, command, reason] of cases) {
      expect(applyRoundCommand(state, command, format, 2)).toEqual({ ok: false, reason });
    }
  });

  it("keeps elapsed + remaining equal to the phase length plus adjustments, whatever the commands", () => {
    const command = fc.oneof(
      fc.constant<RoundCommand>({ type: "start" }),
      fc.constant<RoundCommand>({ type: "pause" }),
      fc.constant<RoundCommand>({ type: "resume" }),
      fc.constant<RoundCommand>({ type: "next" }),
      fc.constant<RoundCommand>({ type: "previous" }),
      fc
        .integer({ min: -120, max: 120 })
        .filter((steps) => steps !== 0)
        .map<RoundCommand>((steps) => ({
          type: "adjust",
          deltaMs: steps * 5_000,
        })),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(command, fc.integer({ min: 0, max: 600_000 })), { maxLength: 40 }), (steps) => {
        let state = INITIAL_ROUND_STATE;
        let now = 0;
        for (const [next, wait] of steps) {
          now += wait;
          const result = applyRoundCommand(state, next, format, now);
          if (result.ok) state = result.state;
          if (state.state === "finished") continue;
          const phase = format.phases[state.phaseIndex]!;
          expect(elapsedMs(state, now) + remainingMs(state, format, now)).toBe(phase.durationMs + state.adjustmentMs);
        }
      }),
    );
  });
});
