import { customDebateSchema, DEFAULT_TEAM_MODE } from "../../shared/classroom/rules";
import { invalid, refused } from "../../shared/outcome";
import { BUILT_IN_FORMATS, CLASSROOM_FORMAT, findBuiltInFormat } from "../../shared/rounds/formats";
import type { CaucusServices } from "../../shared/services";
import { NO_SESSION, requireInstructor } from "../guard";
import { ESSAY_PACK } from "../seed/essay-pack";
import type { Store } from "../store/types";
import { createDebateFromPack, packFromCustomDebate } from "./debates";
import { toSummary } from "./views";

/** 1 for `base` itself, n for `base (n)`, else null: which copy of a ready debate a title names. */
function copyNumber(base: string, title: string): number | null {
  if (title === base) return 1;
  const copy = title.startsWith(`${base} (`) ? /^\((\d+)\)$/.exec(title.slice(base.length + 1)) : null;
  return copy ? Number(copy[1]) : null;
}

/** `base`, or `base (n)` with n one past the highest copy number among `taken`. */
export function nextCopyTitle(base: string, taken: string[]): string {
  const highest = Math.max(0, ...taken.map((title) => copyNumber(base, title) ?? 0));
  return highest === 0 ? base : `${base} (${highest + 1})`;
}

/** The instructor's dashboard: their debates, and the two ways to create one. */
export function createDashboardServices(
  store: Store,
): Pick<CaucusServices, "dashboard" | "startFromEssay" | "createCustomDebate"> {
  return {
    async dashboard(session) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      const account = await store.getAccount(instructor.accountId);
      if (!account) return NO_SESSION;
      const debates = await store.listDebatesOwnedBy(account.id);
      return {
        ok: true,
        view: {
          account: { name: account.name, email: account.email },
          debates: await Promise.all(
            debates.map(async (debate) => ({
              ...toSummary(debate),
              createdAt: debate.createdAt,
              studentCode: debate.studentCode,
              studentCount: (await store.listParticipants(debate.id)).filter((person) => person.role === "student")
                .length,
            })),
          ),
          formats: BUILT_IN_FORMATS.map(({ id, name }) => ({ id, name })),
          essay: {
            title: ESSAY_PACK.title,
            copies: debates.filter((debate) => copyNumber(ESSAY_PACK.title, debate.title) !== null).length,
          },
        },
      };
    },

    async startFromEssay(session) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      // Each copy gets its own name ("… (2)", "… (3)"), so a teacher's list tells them apart.
      const title = nextCopyTitle(
        ESSAY_PACK.title,
        (await store.listDebatesOwnedBy(instructor.accountId)).map((debate) => debate.title),
      );
      const debate = await createDebateFromPack(
        store,
        { ...ESSAY_PACK, title },
        {
          ownerId: instructor.accountId,
          formatId: CLASSROOM_FORMAT.id,
          teamMode: DEFAULT_TEAM_MODE,
        },
      );
      return { ok: true, debateId: debate.id };
    },

    async createCustomDebate(session, fields) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      const parsed = customDebateSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      if (!findBuiltInFormat(parsed.data.formatId)) return refused(400, "Pick one of the formats offered.");
      const debate = await createDebateFromPack(store, packFromCustomDebate(parsed.data), {
        ownerId: instructor.accountId,
        formatId: parsed.data.formatId,
        teamMode: DEFAULT_TEAM_MODE,
      });
      return { ok: true, debateId: debate.id };
    },
  };
}
