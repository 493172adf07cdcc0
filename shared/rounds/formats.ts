/** zod/mini: the format editor parses a format in the browser, and mini tree-shakes. */
import * as z from "zod/mini";

import { MAX_PHASES, MAX_SIGNALS_PER_PHASE, SIDE_COUNT } from "./format-limits";

export { MAX_PHASES, MAX_SIGNALS_PER_PHASE, SIDE_COUNT } from "./format-limits";

const sideIndexSchema = z.int().check(z.minimum(0), z.maximum(SIDE_COUNT - 1));
const labelSchema = (maxLength: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(maxLength));

/** Which papers their own team may edit while a phase is on; the instructor may always edit. */
export const paperEditingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all-open") }),
  z.object({ kind: z.literal("all-locked") }),
  z.object({
    kind: z.literal("sides-open"),
    sides: z.array(sideIndexSchema).check(z.minLength(1), z.maxLength(SIDE_COUNT)),
  }),
]);
export type PaperEditing = z.infer<typeof paperEditingSchema>;

/** A bell rung, and a cue shown, when the phase's remaining time reaches `atRemainingMs`. */
export const timeSignalSchema = z.object({
  atRemainingMs: z.int().check(z.minimum(0)),
  label: labelSchema(80),
  bells: z.int().check(z.minimum(1), z.maximum(3)),
});
export type TimeSignal = z.infer<typeof timeSignalSchema>;

export const phaseSchema = z
  .object({
    id: z.string().check(z.minLength(1), z.maxLength(64)),
    name: labelSchema(80),
    durationMs: z.int().check(z.positive(), z.maximum(3 * 60 * 60_000)),
    /** Index of the side that speaks in this phase; null when nobody or both speak (drafting, crossfire). */
    speakingSide: z.nullable(sideIndexSchema),
    papers: paperEditingSchema,
    signals: z.array(timeSignalSchema).check(z.maxLength(MAX_SIGNALS_PER_PHASE)),
  })
  .check(
    z.refine((phase) => phase.signals.every((signal) => signal.atRemainingMs <= phase.durationMs), {
      message: "A time signal cannot come before the phase starts",
      path: ["signals"],
    }),
  );
export type Phase = z.infer<typeof phaseSchema>;

export const formatSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  name: labelSchema(80),
  /** What each side is called in this format, e.g. ["Pro", "Con"]; the debate's team names are shown beside. */
  sideLabels: z.tuple([labelSchema(40), labelSchema(40)]),
  /** Prep time each team may spend between speeches, 0 when the format has none. */
  prepTimeMs: z.int().check(z.minimum(0), z.maximum(30 * 60_000)),
  /** The audience votes on the motion (before and after), as in an Oxford-style debate. */
  audienceVote: z.boolean(),
  phases: z.array(phaseSchema).check(z.minLength(1), z.maxLength(MAX_PHASES)),
});
export type Format = z.infer<typeof formatSchema>;

export const minutes = (count: number) => count * 60_000;

const ALL_OPEN: PaperEditing = { kind: "all-open" };
const ALL_LOCKED: PaperEditing = { kind: "all-locked" };

/** One bell with a minute left (when the phase is long enough), one at 0:30, two at time. */
export function standardSignals(durationMs: number): TimeSignal[] {
  const signals: TimeSignal[] = [];
  if (durationMs > minutes(2)) signals.push({ atRemainingMs: minutes(1), label: "One minute left", bells: 1 });
  if (durationMs > minutes(1)) signals.push({ atRemainingMs: 30_000, label: "30 seconds left", bells: 1 });
  signals.push({ atRemainingMs: 0, label: "Time", bells: 2 });
  return signals;
}

/**
 * Papers are co-written before anyone speaks, so every built-in format opens with a drafting phase
 * in which both teams write; the instructor can shorten or remove it in a copy of the format.
 */
function drafting(durationMs = minutes(20)): Phase {
  return {
    id: "drafting",
    name: "Drafting",
    durationMs,
    speakingSide: null,
    papers: ALL_OPEN,
    signals: [
      { atRemainingMs: minutes(5), label: "Five minutes of drafting left", bells: 1 },
      { atRemainingMs: 0, label: "Drafting is over: papers lock", bells: 2 },
    ],
  };
}

function speech(id: string, name: string, durationMs: number, speakingSide: number | null): Phase {
  return { id, name, durationMs, speakingSide, papers: ALL_LOCKED, signals: standardSignals(durationMs) };
}

function defineFormat(format: Format): Format {
  return formatSchema.parse(format);
}

/** The default classroom format: teams draft their papers, then speak from them. */
export const CLASSROOM_FORMAT = defineFormat({
  id: "classroom",
  name: "Classroom",
  sideLabels: ["Side A", "Side B"],
  prepTimeMs: 0,
  audienceVote: false,
  phases: [
    drafting(),
    speech("opening-a", "Opening statement A", minutes(3), 0),
    speech("opening-b", "Opening statement B", minutes(3), 1),
    speech("rebuttal-a", "Rebuttal A", minutes(2), 0),
    speech("rebuttal-b", "Rebuttal B", minutes(2), 1),
    speech("closing-a", "Closing A", minutes(2), 0),
    speech("closing-b", "Closing B", minutes(2), 1),
  ],
});

export const OXFORD_FORMAT = defineFormat({
  id: "oxford",
  name: "Oxford-style",
  sideLabels: ["For", "Against"],
  prepTimeMs: 0,
  audienceVote: true,
  phases: [
    drafting(),
    speech("vote-before", "Audience vote (before)", minutes(2), null),
    speech("opening-for", "Opening statement, for", minutes(7), 0),
    speech("opening-against", "Opening statement, against", minutes(7), 1),
    speech("floor-questions", "Floor questions", minutes(15), null),
    speech("closing-for", "Closing statement, for", minutes(3), 0),
    speech("closing-against", "Closing statement, against", minutes(3), 1),
    speech("vote-after", "Audience vote (after)", minutes(2), null),
  ],
});

export const PUBLIC_FORUM_FORMAT = defineFormat({
  id: "public-forum",
  name: "Public Forum",
  sideLabels: ["Pro", "Con"],
  prepTimeMs: minutes(3),
  audienceVote: false,
  phases: [
    drafting(),
    speech("constructive-pro", "Pro constructive", minutes(4), 0),
    speech("constructive-con", "Con constructive", minutes(4), 1),
    speech("crossfire-1", "First crossfire", minutes(3), null),
    speech("rebuttal-pro", "Pro rebuttal", minutes(4), 0),
    speech("rebuttal-con", "Con rebuttal", minutes(4), 1),
    speech("crossfire-2", "Second crossfire", minutes(3), null),
    speech("summary-pro", "Pro summary", minutes(3), 0),
    speech("summary-con", "Con summary", minutes(3), 1),
    speech("grand-crossfire", "Grand crossfire", minutes(3), null),
    speech("final-focus-pro", "Pro final focus", minutes(2), 0),
    speech("final-focus-con", "Con final focus", minutes(2), 1),
  ],
});

export const LINCOLN_DOUGLAS_FORMAT = defineFormat({
  id: "lincoln-douglas",
  name: "Lincoln–Douglas",
  sideLabels: ["Affirmative", "Negative"],
  prepTimeMs: minutes(4),
  audienceVote: false,
  phases: [
    drafting(),
    speech("ac", "Affirmative constructive", minutes(6), 0),
    speech("cx-neg", "Cross-examination by the negative", minutes(3), 1),
    speech("nc", "Negative constructive", minutes(7), 1),
    speech("cx-aff", "Cross-examination by the affirmative", minutes(3), 0),
    speech("1ar", "First affirmative rebuttal", minutes(4), 0),
    speech("nr", "Negative rebuttal", minutes(6), 1),
    speech("2ar", "Second affirmative rebuttal", minutes(3), 0),
  ],
});

/** Points of information may be offered from 1:00 to 7:00 of an 8-minute speech, never in replies. */
function worldSchoolsSpeech(id: string, name: string, speakingSide: number): Phase {
  return {
    id,
    name,
    durationMs: minutes(8),
    speakingSide,
    papers: ALL_LOCKED,
    signals: [
      { atRemainingMs: minutes(7), label: "Protected time over: points of information allowed", bells: 1 },
      { atRemainingMs: minutes(1), label: "Protected time: no more points of information", bells: 1 },
      { atRemainingMs: 0, label: "Time", bells: 2 },
    ],
  };
}

export const WORLD_SCHOOLS_FORMAT = defineFormat({
  id: "world-schools",
  name: "World Schools",
  sideLabels: ["Proposition", "Opposition"],
  prepTimeMs: 0,
  audienceVote: false,
  phases: [
    drafting(),
    worldSchoolsSpeech("prop-1", "First proposition", 0),
    worldSchoolsSpeech("opp-1", "First opposition", 1),
    worldSchoolsSpeech("prop-2", "Second proposition", 0),
    worldSchoolsSpeech("opp-2", "Second opposition", 1),
    worldSchoolsSpeech("prop-3", "Third proposition", 0),
    worldSchoolsSpeech("opp-3", "Third opposition", 1),
    speech("reply-opp", "Opposition reply", minutes(4), 1),
    speech("reply-prop", "Proposition reply", minutes(4), 0),
  ],
});

export const KARL_POPPER_FORMAT = defineFormat({
  id: "karl-popper",
  name: "Karl Popper",
  sideLabels: ["Affirmative", "Negative"],
  prepTimeMs: minutes(8),
  audienceVote: false,
  phases: [
    drafting(),
    speech("a1", "First affirmative constructive", minutes(6), 0),
    speech("cx-n3", "Cross-examination by the negative", minutes(3), 1),
    speech("n1", "First negative constructive", minutes(6), 1),
    speech("cx-a3", "Cross-examination by the affirmative", minutes(3), 0),
    speech("a2", "First affirmative rebuttal", minutes(5), 0),
    speech("n2", "First negative rebuttal", minutes(5), 1),
    speech("a3", "Second affirmative rebuttal", minutes(5), 0),
    speech("n3", "Second negative rebuttal", minutes(5), 1),
  ],
});

export const BUILT_IN_FORMATS: readonly Format[] = [
  CLASSROOM_FORMAT,
  OXFORD_FORMAT,
  PUBLIC_FORUM_FORMAT,
  LINCOLN_DOUGLAS_FORMAT,
  WORLD_SCHOOLS_FORMAT,
  KARL_POPPER_FORMAT,
];

/** Ids of formats an instructor made by copying another; built-in ids never start with this. */
export const CUSTOM_FORMAT_PREFIX = "custom-";

export function findBuiltInFormat(formatId: string): Format | undefined {
  return BUILT_IN_FORMATS.find((format) => format.id === formatId);
}

/** Whether a side's paper is open for its own team under a phase's rule: "all-open" means every team, however many. */
export function paperOpenFor(editing: PaperEditing, side: number): boolean {
  switch (editing.kind) {
    case "all-open":
      return true;
    case "all-locked":
      return false;
    case "sides-open":
      return editing.sides.includes(side);
  }
}
