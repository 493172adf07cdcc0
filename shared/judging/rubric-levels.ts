/** Every criterion is judged on four levels, 1 (beginning) to 4 (exemplary). */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];
export const MAX_LEVEL: Level = 4;
