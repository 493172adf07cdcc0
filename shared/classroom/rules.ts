import { z } from "zod";
import { MAX_DISPLAY_NAME_LENGTH, MAX_SIDES, MIN_PASSWORD_LENGTH, REVEAL_POLICIES, TEAM_MODES } from "./choices";

/**
 * The classroom flow's constants and the zod schemas of its forms: every form field is parsed here
 * before the server looks at it.
 */

export {
  DEFAULT_TEAM_MODE,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SIDES,
  MIN_PASSWORD_LENGTH,
  REVEAL_POLICIES,
  REVEAL_POLICY_LABELS,
  type RevealPolicy,
  TEAM_MODE_LABELS,
  TEAM_MODES,
  type TeamMode,
} from "./choices";

export const MAX_PASSWORD_LENGTH = 200;
export const MAX_READING_LENGTH = 200_000;

/** Seconds since a connection's last edit during which the control room shows its owner as typing. */
export const TYPING_WINDOW_MS = 5_000;

const trimmed = (max: number) =>
  z
    .string()
    .transform((value) => value.replace(/\s+/g, " ").trim())
    .pipe(z.string().max(max));

/**
 * Control characters, format characters (bidi overrides and isolates, zero-width joiners and
 * spaces, soft hyphens) and line or paragraph separators: invisible, or able to reorder what
 * follows, so a name could pass for another one.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** The shape of a code name ("Realpolitik · Speaker 2"), which only the server gives out. */
const CODE_NAME_SHAPE = /[·•∙⋅]\s*speaker\s*\d/iu;

export const displayNameSchema = z
  .string()
  .refine((value) => !HIDDEN_CHARACTERS.test(value), "Use only visible letters, digits and punctuation in your name.")
  .transform((value) => value.normalize("NFKC"))
  .pipe(trimmed(MAX_DISPLAY_NAME_LENGTH))
  .pipe(
    z
      .string()
      .min(1, "Enter your name so your team knows who is writing.")
      .refine((value) => !CODE_NAME_SHAPE.test(value), "That looks like a code name; use your own name."),
  );

/** Names compared as a reader would: case, accents' composed forms and spacing do not matter. */
export function sameName(a: string, b: string): boolean {
  const fold = (value: string) => value.normalize("NFKC").replace(/\s+/g, " ").trim().toLocaleLowerCase();
  return fold(a) === fold(b);
}

const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.").max(254));

const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters for your password.`);

export const signUpSchema = z.object({
  name: trimmed(80).pipe(z.string().min(1, "Enter your name.")),
  email: emailSchema,
  password: passwordSchema,
});

export const logInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(MAX_PASSWORD_LENGTH),
  newPassword: passwordSchema,
});

export const joinSchema = z.object({
  code: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, "").toUpperCase())
    .pipe(z.string().min(1, "Enter the join code your instructor shows.").max(16, "That join code is too long.")),
  name: displayNameSchema,
});

export const chooseTeamSchema = z.object({ teamId: z.string().min(1, "Pick a team.").max(64) });

const debateTitleSchema = trimmed(120).pipe(z.string().min(1, "Give the debate a title."));

const sideSchema = z.object({
  name: trimmed(60).pipe(z.string().min(1, "Give every side a name.")),
  description: trimmed(300),
});

export const customDebateSchema = z.object({
  title: debateTitleSchema,
  motion: trimmed(300).pipe(z.string().min(1, "Write the motion.")),
  sides: z
    .array(sideSchema)
    .min(2, "A debate needs at least two sides.")
    .max(MAX_SIDES, `A debate has at most ${MAX_SIDES} sides.`)
    .refine(
      (sides) => new Set(sides.map((side) => side.name.toLowerCase())).size === sides.length,
      "Every side needs a different name.",
    ),
  readingTitle: trimmed(120),
  reading: z.string().max(MAX_READING_LENGTH, "The reading is too long."),
  formatId: z.string().min(1).max(64),
});
export type CustomDebateInput = z.infer<typeof customDebateSchema>;

/** The people a bulk action applies to, posted as one comma-separated field. */
export const MAX_BULK_PEOPLE = 200;
const sessionIdListSchema = z
  .string()
  .max(MAX_BULK_PEOPLE * 65)
  .transform((value) => [...new Set(value.split(",").filter(Boolean))])
  .pipe(z.array(z.string().min(1).max(64)).min(1, "Select at least one person.").max(MAX_BULK_PEOPLE));

/** Control room commands, posted as the form field `intent` plus their own fields. */
export const controlCommandSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rotate-code"), which: z.enum(["student", "judge", "audience"]) }),
  z.object({ intent: z.literal("team-mode"), teamMode: z.enum(TEAM_MODES) }),
  z.object({ intent: z.literal("reveal"), revealPolicy: z.enum(REVEAL_POLICIES) }),
  z.object({ intent: z.literal("code-names"), codeNames: z.enum(["on", "off"]) }),
  z.object({ intent: z.literal("rename"), sessionId: z.string().min(1).max(64), name: displayNameSchema }),
  z.object({ intent: z.literal("move"), sessionId: z.string().min(1).max(64), teamId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("remove"), sessionId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("let-back"), banId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("move-many"), sessionIds: sessionIdListSchema, teamId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("remove-many"), sessionIds: sessionIdListSchema }),
  z.object({ intent: z.literal("archive"), archived: z.enum(["yes", "no"]) }),
  z.object({ intent: z.literal("rename-debate"), title: debateTitleSchema }),
  z.object({ intent: z.literal("delete"), confirm: z.literal("delete", "Type delete to confirm.") }),
  z.object({ intent: z.literal("restore"), snapshotId: z.string().min(1, "Choose a snapshot to restore.").max(64) }),
]);
export type ControlCommand = z.infer<typeof controlCommandSchema>;
