import { z } from "zod";

export const phaseSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  durationMs: z.number().int().positive(),
  /** Index of the side that speaks in this phase; null when nobody speaks (e.g. drafting). */
  speakingSide: z.number().int().nonnegative().nullable(),
});
export type Phase = z.infer<typeof phaseSchema>;

export const formatSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  phases: z.array(phaseSchema).min(1),
});
export type Format = z.infer<typeof formatSchema>;

const minutes = (count: number) => count * 60_000;

/** The default classroom format: teams draft their papers, then speak from them. */
export const CLASSROOM_FORMAT: Format = formatSchema.parse({
  id: "classroom",
  name: "Classroom",
  phases: [
    { id: "drafting", name: "Drafting", durationMs: minutes(20), speakingSide: null },
    { id: "opening-a", name: "Opening statement A", durationMs: minutes(3), speakingSide: 0 },
    { id: "opening-b", name: "Opening statement B", durationMs: minutes(3), speakingSide: 1 },
    { id: "rebuttal-a", name: "Rebuttal A", durationMs: minutes(2), speakingSide: 0 },
    { id: "rebuttal-b", name: "Rebuttal B", durationMs: minutes(2), speakingSide: 1 },
    { id: "closing-a", name: "Closing A", durationMs: minutes(2), speakingSide: 0 },
    { id: "closing-b", name: "Closing B", durationMs: minutes(2), speakingSide: 1 },
  ],
});

export const BUILT_IN_FORMATS: readonly Format[] = [CLASSROOM_FORMAT];

export function findFormat(formatId: string): Format | undefined {
  return BUILT_IN_FORMATS.find((format) => format.id === formatId);
}
