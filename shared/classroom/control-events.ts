/** zod/mini: the control room parses every push in the browser (decision 172). */
import * as z from "zod/mini";
import { BALLOT_STATUSES, RELEASE_STAGES } from "../judging/fields";
import type { Outcome } from "../outcome";
import { ROLES, type Role } from "../session";
import { REVEAL_POLICIES, TEAM_MODES } from "./choices";
import type { ControlView } from "./views";

/**
 * The control room's live channel (decision 171), on the round's socket.io connection: the
 * instructor's page asks to watch its debate (ControlEvent.watch) and is then sent the whole
 * control view again (ControlEvent.view) whenever what it shows changes.
 */

/** What the server pushes: the debate's control view as it is now, replacing the one shown. */
export interface ControlPush {
  debateId: string;
  view: ControlView;
}

export type ControlWatchAnswer = Outcome<{ view: ControlView }>;

const idSchema = z.string().check(z.minLength(1), z.maxLength(64));
const PARTICIPANT_ROLES = ROLES.filter((role): role is Exclude<Role, "instructor"> => role !== "instructor");
export const watchRequestSchema = z.object({ debateId: idSchema });

const participantSchema = z.object({
  sessionId: z.string(),
  displayName: z.string(),
  codeName: z.nullable(z.string()),
  role: z.enum(PARTICIPANT_ROLES),
  teamId: z.nullable(z.string()),
  online: z.boolean(),
  typing: z.boolean(),
  ballot: z.nullable(z.enum(BALLOT_STATUSES)),
});

/** The browser parses every pushed view before rendering it: one that does not fit is not shown. */
export const controlViewSchema = z.object({
  debate: z.object({
    id: z.string(),
    title: z.string(),
    motion: z.string(),
    formatId: z.string(),
    archived: z.boolean(),
  }),
  studentCode: z.string(),
  judgeCode: z.string(),
  audienceKey: z.string(),
  teamMode: z.enum(TEAM_MODES),
  revealPolicy: z.enum(REVEAL_POLICIES),
  codeNames: z.boolean(),
  teams: z.array(
    z.object({
      id: z.string(),
      sideIndex: z.number(),
      name: z.string(),
      description: z.string(),
      color: z.string(),
      docId: z.string(),
    }),
  ),
  papers: z.array(
    z.object({
      teamId: z.string(),
      bytes: z.number(),
      limitBytes: z.number(),
      setAside: z.number(),
      snapshots: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  students: z.array(participantSchema),
  judges: z.array(participantSchema),
  audienceCount: z.number(),
  releaseStage: z.enum(RELEASE_STAGES),
  doubts: z.array(z.object({ kind: z.enum(["same-name", "same-browser"]), names: z.array(z.string()) })),
  removed: z.array(z.object({ banId: z.string(), displayName: z.string(), removedAt: z.number() })),
}) satisfies z.ZodMiniType<ControlView>;

export const controlPushSchema = z.object({ debateId: idSchema, view: controlViewSchema });
