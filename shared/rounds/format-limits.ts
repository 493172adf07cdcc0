/** Limits of a debate format, apart from its schemas (shared/rounds/formats.ts) so that pages need no zod for them. */

/** Every format has two sides: index 0 (side A: proposition, affirmative, pro) and index 1. */
export const SIDE_COUNT = 2;
export const MAX_PHASES = 40;
export const MAX_SIGNALS_PER_PHASE = 6;
