/** zod/mini, from when pages parsed the round (decision 172); now only the server parses commands and stored rounds with it. */
import * as z from "zod/mini";
import { type Outcome, refused } from "../outcome";
import { type Format, MAX_PHASES, SIDE_COUNT } from "./formats";
import { elapsedMs, MAX_ADJUST_MS, type PrepState, prepRemainingMs, prepUsedMs, type RoundState } from "./round-clock";

export {
  ADJUST_STEP_MS,
  elapsedMs,
  MAX_ADJUST_MS,
  phaseLengthMs,
  prepRemainingMs,
  prepUsedMs,
  remainingMs,
} from "./round-clock";

const sideSchema = z.int().check(z.minimum(0), z.maximum(SIDE_COUNT - 1));

const prepSchema = z.object({
  usedMs: z.array(z.number().check(z.nonnegative())).check(z.maxLength(SIDE_COUNT)),
  running: z.nullable(z.object({ side: sideSchema, since: z.number() })),
});

/** States saved before prep banks existed carry no `prep`: nobody had used any. */
const prepField = z._default(prepSchema, { usedMs: [], running: null });
const phaseIndexSchema = z.int().check(z.nonnegative());

export const roundStateSchema: z.ZodMiniType<RoundState, unknown> = z.discriminatedUnion("state", [
  z.object({ state: z.literal("idle"), phaseIndex: phaseIndexSchema, adjustmentMs: z.int(), prep: prepField }),
  z.object({
    state: z.literal("running"),
    phaseIndex: phaseIndexSchema,
    adjustmentMs: z.int(),
    runningSince: z.number(),
    elapsedBeforeMs: z.number().check(z.nonnegative()),
    prep: prepField,
  }),
  z.object({
    state: z.literal("paused"),
    phaseIndex: phaseIndexSchema,
    adjustmentMs: z.int(),
    elapsedMs: z.number().check(z.nonnegative()),
    prep: prepField,
  }),
  z.object({
    state: z.literal("finished"),
    phaseIndex: phaseIndexSchema,
    adjustmentMs: z.int(),
    prep: prepField,
  }),
]);

export const roundCommandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start") }),
  z.object({ type: z.literal("pause") }),
  z.object({ type: z.literal("resume") }),
  z.object({ type: z.literal("next") }),
  z.object({ type: z.literal("previous") }),
  z.object({
    type: z.literal("jump"),
    phaseIndex: z.int().check(z.minimum(0), z.maximum(MAX_PHASES - 1)),
  }),
  z.object({
    type: z.literal("adjust"),
    deltaMs: z
      .int()
      .check(
        z.refine((delta) => delta !== 0 && Math.abs(delta) <= MAX_ADJUST_MS, "between −60 and +60 minutes, not 0"),
      ),
  }),
  z.object({ type: z.literal("reset") }),
  z.object({ type: z.literal("prep-start"), side: sideSchema }),
  z.object({ type: z.literal("prep-stop") }),
]);
export type RoundCommand = z.infer<typeof roundCommandSchema>;
export type RoundCommandType = RoundCommand["type"];

const NO_PREP: PrepState = { usedMs: [], running: null };

export const INITIAL_ROUND_STATE: RoundState = { state: "idle", phaseIndex: 0, adjustmentMs: 0, prep: NO_PREP };

function stopPrep(prep: PrepState, now: number): PrepState {
  if (!prep.running) return prep;
  const usedMs = Array.from({ length: SIDE_COUNT }, (_, side) => prepUsedMs(prep, side, now));
  return { usedMs, running: null };
}

/** A command the round's state does not allow is a conflict with that state. */
const refuse = (reason: string): Outcome<{ state: RoundState }> => refused(409, reason);
const accept = (state: RoundState): Outcome<{ state: RoundState }> => ({ ok: true, state });

function enterPhase(phaseIndex: number, prep: PrepState): RoundState {
  return { state: "idle", phaseIndex, adjustmentMs: 0, prep };
}

function sideName(format: Format, side: number): string {
  return format.sideLabels[side as 0 | 1] ?? `Side ${side + 1}`;
}

export function applyRoundCommand(
  round: RoundState,
  command: RoundCommand,
  format: Format,
  now: number,
): Outcome<{ state: RoundState }> {
  const lastPhase = format.phases.length - 1;
  switch (command.type) {
    case "start":
      if (round.state !== "idle") return refuse(`Cannot start: the phase is ${round.state}`);
      return accept({
        state: "running",
        phaseIndex: round.phaseIndex,
        adjustmentMs: round.adjustmentMs,
        runningSince: now,
        elapsedBeforeMs: 0,
        // A speech and a team's prep never run at once: starting the speech ends the prep.
        prep: stopPrep(round.prep, now),
      });
    case "pause":
      if (round.state !== "running") return refuse(`Cannot pause: the phase is ${round.state}`);
      return accept({
        state: "paused",
        phaseIndex: round.phaseIndex,
        adjustmentMs: round.adjustmentMs,
        elapsedMs: elapsedMs(round, now),
        prep: round.prep,
      });
    case "resume":
      if (round.state !== "paused") return refuse(`Cannot resume: the phase is ${round.state}`);
      return accept({
        state: "running",
        phaseIndex: round.phaseIndex,
        adjustmentMs: round.adjustmentMs,
        runningSince: now,
        elapsedBeforeMs: round.elapsedMs,
        prep: stopPrep(round.prep, now),
      });
    case "next":
      if (round.state === "finished") return refuse("The round is already finished");
      if (round.phaseIndex >= lastPhase) {
        return accept({ state: "finished", phaseIndex: lastPhase, adjustmentMs: 0, prep: stopPrep(round.prep, now) });
      }
      return accept(enterPhase(round.phaseIndex + 1, round.prep));
    case "previous":
      if (round.state === "finished") return accept(enterPhase(lastPhase, round.prep));
      if (round.phaseIndex === 0) return refuse("Already at the first phase");
      return accept(enterPhase(round.phaseIndex - 1, round.prep));
    case "jump":
      if (command.phaseIndex > lastPhase) return refuse(`This format has no phase ${command.phaseIndex + 1}`);
      if (round.state !== "finished" && command.phaseIndex === round.phaseIndex) {
        return refuse("Already in that phase: reset it to start it again");
      }
      return accept(enterPhase(command.phaseIndex, round.prep));
    case "adjust": {
      if (round.state === "finished") return refuse("The round is finished");
      const adjustmentMs = round.adjustmentMs + command.deltaMs;
      const phase = format.phases[round.phaseIndex];
      if (!phase || phase.durationMs + adjustmentMs < 0) return refuse("A phase cannot be shorter than zero");
      if (Math.abs(adjustmentMs) > MAX_ADJUST_MS) return refuse("A phase can change by at most 60 minutes");
      return accept({ ...round, adjustmentMs });
    }
    case "reset":
      if (round.state === "finished") return refuse("The round is finished: go back to a phase first");
      if (round.state === "idle" && round.adjustmentMs === 0) return refuse("The phase has not started yet");
      return accept(enterPhase(round.phaseIndex, round.prep));
    case "prep-start": {
      if (format.prepTimeMs === 0) return refuse("This format has no prep time");
      if (round.state === "finished") return refuse("The round is finished");
      if (round.state === "running") return refuse("Prep time runs between speeches: pause the phase first");
      if (round.prep.running?.side === command.side) {
        return refuse(`${sideName(format, command.side)} prep is already running`);
      }
      if (prepRemainingMs(round, format, command.side, now) <= 0) {
        return refuse(`${sideName(format, command.side)} has no prep time left`);
      }
      const stopped = stopPrep(round.prep, now);
      return accept({ ...round, prep: { usedMs: stopped.usedMs, running: { side: command.side, since: now } } });
    }
    case "prep-stop":
      if (!round.prep.running) return refuse("No prep time is running");
      return accept({ ...round, prep: stopPrep(round.prep, now) });
  }
}

/** A short name for a command, for the audit log and the control room's messages. */
export function describeCommand(command: RoundCommand, format: Format): string {
  switch (command.type) {
    case "start":
    case "pause":
    case "resume":
    case "next":
    case "previous":
    case "reset":
      return command.type;
    case "jump":
      return `jump to ${format.phases[command.phaseIndex]?.name ?? `phase ${command.phaseIndex + 1}`}`;
    case "adjust":
      return `${command.deltaMs > 0 ? "add" : "remove"} ${Math.abs(command.deltaMs / 1000)} s`;
    case "prep-start":
      return `start ${sideName(format, command.side)} prep`;
    case "prep-stop":
      return "stop prep";
  }
}
