import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLASSROOM_FORMAT, type Format, minutes, PUBLIC_FORUM_FORMAT } from "../../shared/rounds/formats";
import {
  applyRoundCommand,
  elapsedMs,
  INITIAL_ROUND_STATE,
  phaseLengthMs,
  prepRemainingMs,
  prepUsedMs,
  type RoundCommand,
  remainingMs,
  roundStateSchema,
} from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";

const format = PUBLIC_FORUM_FORMAT;
const lastPhase = format.phases.length - 1;
const durationOf = (phaseIndex: number) => format.phases[phaseIndex]!.durationMs;

function apply(state: RoundState, command: RoundCommand, now: number, using: Format = format): RoundState {
  const result = applyRoundCommand(state, command, using, now);
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

function refusal(state: RoundState, command: RoundCommand, now: number, using: Format = format): string {
  const result = applyRoundCommand(state, command, using, now);
  if (result.ok) throw new Error(`expected ${command.type} to be refused in ${state.state}`);
  return result.reason;
}

/** One state of each kind, in the middle of the format (phase 2), at t = 100 s. */
const T = 100_000;
const idle: RoundState = { ...INITIAL_ROUND_STATE, phaseIndex: 2 };
const running = apply(idle, { type: "start" }, T - 10_000);
const paused = apply(running, { type: "pause" }, T - 4_000);
const finished: RoundState = {
  state: "finished",
  phaseIndex: lastPhase,
  adjustmentMs: 0,
  prep: INITIAL_ROUND_STATE.prep,
};

describe("every command in every state", () => {
  it("start: only from idle, running from now", () => {
    expect(apply(idle, { type: "start" }, T)).toMatchObject({ state: "running", phaseIndex: 2, runningSince: T });
    expect(refusal(running, { type: "start" }, T)).toBe("Cannot start: the phase is running");
    expect(refusal(paused, { type: "start" }, T)).toBe("Cannot start: the phase is paused");
    expect(refusal(finished, { type: "start" }, T)).toBe("Cannot start: the phase is finished");
  });

  it("pause: only while running, keeping the time spent", () => {
    expect(refusal(idle, { type: "pause" }, T)).toBe("Cannot pause: the phase is idle");
    expect(apply(running, { type: "pause" }, T)).toMatchObject({ state: "paused", elapsedMs: 10_000 });
    expect(refusal(paused, { type: "pause" }, T)).toBe("Cannot pause: the phase is paused");
    expect(refusal(finished, { type: "pause" }, T)).toBe("Cannot pause: the phase is finished");
  });

  it("resume: only while paused, carrying on from where it stopped", () => {
    expect(refusal(idle, { type: "resume" }, T)).toBe("Cannot resume: the phase is idle");
    expect(refusal(running, { type: "resume" }, T)).toBe("Cannot resume: the phase is running");
    const resumed = apply(paused, { type: "resume" }, T);
    expect(resumed).toMatchObject({ state: "running", runningSince: T, elapsedBeforeMs: 6_000 });
    expect(remainingMs(resumed, format, T + 1_000)).toBe(durationOf(2) - 7_000);
    expect(refusal(finished, { type: "resume" }, T)).toBe("Cannot resume: the phase is finished");
  });

  it("next: to the next phase, ready to start; after the last, finished", () => {
    for (const state of [idle, running, paused]) {
      expect(apply(state, { type: "next" }, T)).toMatchObject({ state: "idle", phaseIndex: 3, adjustmentMs: 0 });
    }
    expect(apply({ ...idle, phaseIndex: lastPhase }, { type: "next" }, T)).toMatchObject({
      state: "finished",
      phaseIndex: lastPhase,
    });
    expect(refusal(finished, { type: "next" }, T)).toBe("The round is already finished");
  });

  it("previous: back one phase, ready to start; from finished, back to the last phase", () => {
    for (const state of [idle, running, paused]) {
      expect(apply(state, { type: "previous" }, T)).toMatchObject({ state: "idle", phaseIndex: 1 });
    }
    expect(refusal(INITIAL_ROUND_STATE, { type: "previous" }, T)).toBe("Already at the first phase");
    expect(apply(finished, { type: "previous" }, T)).toMatchObject({ state: "idle", phaseIndex: lastPhase });
  });

  it("jump: to any phase of the format, but not to the one already on nor past the end", () => {
    for (const state of [idle, running, paused, finished]) {
      expect(apply(state, { type: "jump", phaseIndex: 5 }, T)).toMatchObject({ state: "idle", phaseIndex: 5 });
    }
    expect(refusal(running, { type: "jump", phaseIndex: 2 }, T)).toBe(
      "Already in that phase: reset it to start it again",
    );
    expect(apply(finished, { type: "jump", phaseIndex: lastPhase }, T)).toMatchObject({ state: "idle" });
    expect(refusal(idle, { type: "jump", phaseIndex: lastPhase + 1 }, T)).toBe(
      `This format has no phase ${lastPhase + 2}`,
    );
  });

  it("adjust: adds or removes time in any unfinished state, never below zero", () => {
    for (const state of [idle, running, paused]) {
      const longer = apply(state, { type: "adjust", deltaMs: 30_000 }, T);
      expect(longer.state).toBe(state.state);
      expect(phaseLengthMs(longer, format)).toBe(durationOf(2) + 30_000);
      expect(remainingMs(longer, format, T)).toBe(remainingMs(state, format, T) + 30_000);
    }
    expect(refusal(idle, { type: "adjust", deltaMs: -durationOf(2) - 1 }, T)).toBe(
      "A phase cannot be shorter than zero",
    );
    expect(refusal(finished, { type: "adjust", deltaMs: 30_000 }, T)).toBe("The round is finished");
    let stretched = idle;
    for (let step = 0; step < 60; step++) stretched = apply(stretched, { type: "adjust", deltaMs: 60_000 }, T);
    expect(refusal(stretched, { type: "adjust", deltaMs: 60_000 }, T)).toBe("A phase can change by at most 60 minutes");
  });

  it("reset: the phase back to its full time, ready to start", () => {
    for (const state of [running, paused, apply(idle, { type: "adjust", deltaMs: 30_000 }, T)]) {
      expect(apply(state, { type: "reset" }, T)).toEqual({ ...idle, prep: state.prep });
    }
    expect(refusal(idle, { type: "reset" }, T)).toBe("The phase has not started yet");
    expect(refusal(finished, { type: "reset" }, T)).toBe("The round is finished: go back to a phase first");
  });

  it("prep-start and prep-stop: between speeches only", () => {
    expect(apply(idle, { type: "prep-start", side: 0 }, T).prep.running).toEqual({ side: 0, since: T });
    expect(apply(paused, { type: "prep-start", side: 1 }, T).prep.running).toEqual({ side: 1, since: T });
    expect(refusal(running, { type: "prep-start", side: 0 }, T)).toBe(
      "Prep time runs between speeches: pause the phase first",
    );
    expect(refusal(finished, { type: "prep-start", side: 0 }, T)).toBe("The round is finished");
    expect(refusal(idle, { type: "prep-start", side: 0 }, T, CLASSROOM_FORMAT)).toBe("This format has no prep time");
    for (const state of [idle, running, paused, finished]) {
      expect(refusal(state, { type: "prep-stop" }, T)).toBe("No prep time is running");
    }
  });
});

describe("prep banks", () => {
  const bank = format.prepTimeMs;

  it("drain only while that team's prep runs", () => {
    let state = apply(idle, { type: "prep-start", side: 0 }, 0);
    expect(prepRemainingMs(state, format, 0, 20_000)).toBe(bank - 20_000);
    expect(prepRemainingMs(state, format, 1, 20_000)).toBe(bank);
    state = apply(state, { type: "prep-stop" }, 30_000);
    expect(prepRemainingMs(state, format, 0, 500_000)).toBe(bank - 30_000);
    state = apply(state, { type: "prep-start", side: 1 }, 600_000);
    // Calling the other team's prep stops the first one's clock.
    state = apply(state, { type: "prep-start", side: 0 }, 610_000);
    expect(prepUsedMs(state.prep, 1, 700_000)).toBe(10_000);
    expect(prepUsedMs(state.prep, 0, 615_000)).toBe(35_000);
    expect(refusal(state, { type: "prep-start", side: 0 }, 620_000)).toBe("Pro prep is already running");
  });

  it("stop when a speech starts or resumes, and keep running across phase changes", () => {
    let state = apply(idle, { type: "prep-start", side: 1 }, 0);
    state = apply(state, { type: "next" }, 5_000);
    expect(state.prep.running).toEqual({ side: 1, since: 0 });
    state = apply(state, { type: "start" }, 12_000);
    expect(state.prep).toEqual({ usedMs: [0, 12_000], running: null });
    state = apply(state, { type: "pause" }, 20_000);
    state = apply(state, { type: "prep-start", side: 0 }, 20_000);
    state = apply(state, { type: "resume" }, 21_000);
    expect(state.prep).toEqual({ usedMs: [1_000, 12_000], running: null });
  });

  it("count into overtime when a team overruns, and refuse a team with nothing left", () => {
    let state = apply(idle, { type: "prep-start", side: 0 }, 0);
    expect(prepRemainingMs(state, format, 0, bank + 4_000)).toBe(-4_000);
    state = apply(state, { type: "prep-stop" }, bank + 4_000);
    expect(refusal(state, { type: "prep-start", side: 0 }, bank + 5_000)).toBe("Pro has no prep time left");
  });
});

describe("overtime and persistence", () => {
  it("counts into overtime after zero, on the server clock", () => {
    const started = apply(INITIAL_ROUND_STATE, { type: "start" }, 0);
    expect(remainingMs(started, format, durationOf(0) + 5_000)).toBe(-5_000);
    expect(remainingMs(apply(started, { type: "pause" }, durationOf(0) + 7_000), format, 10 ** 9)).toBe(-7_000);
  });

  it("reads states saved before prep banks existed as having used no prep", () => {
    expect(roundStateSchema.parse({ state: "idle", phaseIndex: 1, adjustmentMs: 0 })).toEqual({
      state: "idle",
      phaseIndex: 1,
      adjustmentMs: 0,
      prep: { usedMs: [], running: null },
    });
  });

  it("has the real timings of the built-in formats", () => {
    expect(PUBLIC_FORUM_FORMAT.prepTimeMs).toBe(minutes(3));
    expect(PUBLIC_FORUM_FORMAT.phases.slice(1).map((phase) => phase.durationMs / 60_000)).toEqual([
      4, 4, 3, 4, 4, 3, 3, 3, 3, 2, 2,
    ]);
  });
});

const commandArbitrary = fc.oneof(
  fc.constantFrom<RoundCommand>(
    { type: "start" },
    { type: "pause" },
    { type: "resume" },
    { type: "next" },
    { type: "previous" },
    { type: "reset" },
    { type: "prep-stop" },
  ),
  fc.integer({ min: 0, max: lastPhase + 1 }).map<RoundCommand>((phaseIndex) => ({ type: "jump", phaseIndex })),
  fc.integer({ min: 0, max: 1 }).map<RoundCommand>((side) => ({ type: "prep-start", side })),
  fc
    .integer({ min: -120, max: 120 })
    .filter((steps) => steps !== 0)
    .map<RoundCommand>((steps) => ({ type: "adjust", deltaMs: steps * 5_000 })),
);

describe("properties", () => {
  it("keeps elapsed + remaining equal to the phase length plus adjustments, whatever the commands", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(commandArbitrary, fc.integer({ min: 0, max: 600_000 })), { maxLength: 60 }),
        (steps) => {
          let state = INITIAL_ROUND_STATE;
          let now = 0;
          for (const [command, wait] of steps) {
            now += wait;
            const result = applyRoundCommand(state, command, format, now);
            if (result.ok) state = result.state;
            if (state.state === "finished") continue;
            const phase = format.phases[state.phaseIndex]!;
            expect(elapsedMs(state, now) + remainingMs(state, format, now)).toBe(phase.durationMs + state.adjustmentMs);
            expect(phaseLengthMs(state, format)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it("never runs a speech and a prep clock at once, and prep used only grows", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(commandArbitrary, fc.integer({ min: 0, max: 120_000 })), { maxLength: 60 }),
        (steps) => {
          let state = INITIAL_ROUND_STATE;
          let now = 0;
          let usedBefore = [0, 0];
          for (const [command, wait] of steps) {
            now += wait;
            const result = applyRoundCommand(state, command, format, now);
            if (result.ok) state = result.state;
            expect(state.state === "running" && state.prep.running !== null).toBe(false);
            const used = [0, 1].map((side) => prepUsedMs(state.prep, side, now));
            for (const [side, value] of used.entries()) expect(value).toBeGreaterThanOrEqual(usedBefore[side]!);
            usedBefore = used;
            expect(roundStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
          }
        },
      ),
    );
  });
});
