import { z } from "zod";
import { LEVELS, type Level, MAX_LEVEL } from "./rubric-levels";

export { LEVELS, type Level, MAX_LEVEL } from "./rubric-levels";

export const criterionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  /** Share of the total, in percent; a rubric's weights add up to 100. */
  weight: z.number().positive(),
  /** What each level looks like, lowest first: exactly one descriptor per level. */
  descriptors: z.array(z.string().min(1)).length(LEVELS.length),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const rubricSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    criteria: z.array(criterionSchema).min(1),
  })
  .refine((rubric) => Math.abs(rubric.criteria.reduce((sum, c) => sum + c.weight, 0) - 100) < 1e-9, {
    message: "Criterion weights must add up to 100",
  })
  .refine((rubric) => new Set(rubric.criteria.map((c) => c.id)).size === rubric.criteria.length, {
    message: "Criterion ids must be unique",
  });
export type Rubric = z.infer<typeof rubricSchema>;

export const CLASSROOM_RUBRIC: Rubric = rubricSchema.parse({
  id: "classroom",
  name: "Classroom",
  criteria: [
    {
      id: "claim",
      name: "Claim",
      weight: 20,
      descriptors: [
        "No clear claim, or it does not address the motion",
        "A claim is present but vague or only loosely tied to the motion",
        "A clear claim that takes a side on the motion",
        "A precise, arguable claim that frames the rest of the argument",
      ],
    },
    {
      id: "evidence",
      name: "Evidence",
      weight: 25,
      descriptors: [
        "No evidence, or evidence unrelated to the claim",
        "Some evidence, thin or not explained",
        "Relevant evidence from the reading, cited",
        "Well-chosen evidence, cited precisely and weighed against alternatives",
      ],
    },
    {
      id: "reasoning",
      name: "Reasoning",
      weight: 25,
      descriptors: [
        "The evidence does not lead to the claim",
        "Some links between evidence and claim, with gaps",
        "A clear chain from evidence to claim",
        "Rigorous reasoning that anticipates how the link could fail",
      ],
    },
    {
      id: "rebuttal",
      name: "Rebuttal",
      weight: 20,
      descriptors: [
        "Ignores the other side",
        "Mentions the other side without answering it",
        "Answers the other side's main point",
        "Answers the other side's strongest points and turns them",
      ],
    },
    {
      id: "delivery",
      name: "Delivery",
      weight: 10,
      descriptors: [
        "Hard to follow",
        "Understandable, with lapses in organisation or clarity",
        "Clear and organised",
        "Clear, concise and persuasive",
      ],
    },
  ],
});

export const WORLD_SCHOOLS_RUBRIC: Rubric = rubricSchema.parse({
  id: "world-schools",
  name: "World Schools (content 40 / style 40 / strategy 20)",
  criteria: [
    {
      id: "content",
      name: "Content",
      weight: 40,
      descriptors: [
        "Arguments unsupported or irrelevant",
        "Arguments plausible but underdeveloped",
        "Arguments well developed and supported",
        "Arguments compelling, well supported and responsive",
      ],
    },
    {
      id: "style",
      name: "Style",
      weight: 40,
      descriptors: [
        "Unclear, hard to follow",
        "Mostly clear, uneven",
        "Clear, engaging and well organised",
        "Persuasive, vivid and precise throughout",
      ],
    },
    {
      id: "strategy",
      name: "Strategy",
      weight: 20,
      descriptors: [
        "No sense of priorities or structure",
        "Some structure; priorities unclear",
        "Clear structure that prioritises the key issues",
        "Excellent structure, timing and choice of issues",
      ],
    },
  ],
});

export const BUILT_IN_RUBRICS: readonly Rubric[] = [CLASSROOM_RUBRIC, WORLD_SCHOOLS_RUBRIC];

/** A set of levels for one argument, as a weighted percentage (0–100); null until every criterion is scored. */
export function weightedScore(rubric: Rubric, levels: Partial<Record<string, Level>>): number | null {
  let total = 0;
  for (const criterion of rubric.criteria) {
    const level = levels[criterion.id];
    if (level === undefined) return null;
    total += (criterion.weight * level) / MAX_LEVEL;
  }
  return total;
}
