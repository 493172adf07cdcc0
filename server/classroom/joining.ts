import { setTimeout as sleep } from "node:timers/promises";
import { joinSchema, sameName } from "../../shared/classroom/rules";
import { invalid, refused } from "../../shared/outcome";
import type { CaucusServices } from "../../shared/services";
import type { ParticipantSession } from "../../shared/session";
import {
  AUDIENCE_PER_ADDRESS,
  addressKey,
  JOIN_GLOBAL,
  JOIN_PER_ADDRESS,
  JOIN_PER_BROWSER,
  JOIN_PER_DEBATE,
  Limit,
  refund,
  type SharedLimits,
  spend,
  waitMessage,
} from "../auth/limits";
import type { SessionCookies } from "../auth/session-cookie";
import { newId } from "../ids";
import type { Store, TeamRecord } from "../store/types";
import type { LiveConnections } from "./live-connections";

/** Caret colours: distinct, dark enough for white labels (WCAG AA), #rrggbb as Tiptap needs. */
const PRESENCE_COLORS = ["#b91c1c", "#047857", "#6d28d9", "#be185d", "#0e7490", "#a16207", "#4338ca", "#15803d"];

function presenceColor(): string {
  return PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)]!;
}

/** The team with fewest students (lowest side first on a tie). */
async function smallestTeam(store: Store, debateId: string, teams: TeamRecord[]): Promise<TeamRecord | undefined> {
  const participants = await store.listParticipants(debateId);
  const size = (team: TeamRecord) =>
    participants.filter((session) => session.role === "student" && session.teamId === team.id).length;
  return [...teams].sort((a, b) => size(a) - size(b) || a.sideIndex - b.sideIndex)[0];
}

/** Joining a debate: students and judges with a join code (throttled), the audience with its link. */
export function createJoiningServices(
  store: Store,
  cookies: SessionCookies,
  live: Pick<LiveConnections, "controlChanged">,
  sharedLimits: SharedLimits | null,
): Pick<CaucusServices, "join" | "watch"> {
  const joinPerBrowser = new Limit(JOIN_PER_BROWSER, sharedLimits);
  const joinPerAddress = new Limit(JOIN_PER_ADDRESS, sharedLimits);
  const joinGlobal = new Limit(JOIN_GLOBAL, sharedLimits);
  const joinsPerDebate = new Limit(JOIN_PER_DEBATE, sharedLimits);
  const audiencePerAddress = new Limit(AUDIENCE_PER_ADDRESS, sharedLimits);

  return {
    async join(session, fields, client) {
      const parsed = joinSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const budgets: [Limit, string][] = [
        [joinPerBrowser, client.clientId],
        [joinPerAddress, addressKey(client.address)],
        [joinGlobal, "all"],
      ];
      const verdict = await spend(budgets);
      if (!verdict.allowed) {
        return refused(
          429,
          `Too many wrong join codes from here. Wait ${waitMessage(verdict.retryAfterMs)}, then check the code with your instructor.`,
        );
      }
      await sleep(verdict.delayMs);
      const found = await store.findDebateByJoinCode(parsed.data.code);
      if (!found) return refused(400, "No debate has that join code. Check it with your instructor.");
      refund(budgets);
      const { debate, role } = found;
      if (debate.archivedAt !== null) return refused(410, "This debate is archived: it no longer takes new people.");
      if (session && session.role === role && session.debateId === debate.id) {
        return { ok: true, debateId: debate.id, role, setCookie: null };
      }
      if (await store.isDeviceBanned(debate.id, client.clientId)) {
        return refused(403, "Your instructor removed you from this debate. Ask them to let you back in.");
      }
      const owner = debate.ownerId ? await store.getAccount(debate.ownerId) : undefined;
      if (owner && sameName(owner.name, parsed.data.name)) {
        return refused(400, "That is your instructor's name; use your own.");
      }
      const flood = await spend([[joinsPerDebate, debate.id]]);
      if (!flood.allowed) return refused(429, "This debate is taking too many joins at once; try again in a minute.");
      const teams = await store.listTeams(debate.id);
      const team =
        role === "student" && debate.teamMode === "balance" ? await smallestTeam(store, debate.id, teams) : undefined;
      const participant: ParticipantSession = {
        id: newId(),
        role,
        displayName: parsed.data.name,
        debateId: debate.id,
        accountId: null,
        teamId: team?.id ?? null,
        color: presenceColor(),
      };
      await store.createSession(participant);
      await store.setSessionDevice(participant.id, client.clientId);
      live.controlChanged(debate.id);
      return { ok: true, debateId: debate.id, role, setCookie: cookies.serialize(participant.id) };
    },

    async watch(session, audienceKey, replace, client) {
      const debate = await store.findDebateByAudienceKey(audienceKey);
      if (!debate) return refused(404, "This audience link is not valid; ask for the current one.");
      const staying =
        session?.role === "instructor" || (session?.role === "audience" && session.debateId === debate.id);
      if (staying) return { ok: true, debateId: debate.id, setCookie: null, confirm: null };
      if (session && !replace) {
        return {
          ok: true,
          debateId: debate.id,
          setCookie: null,
          confirm: { debateTitle: debate.title, currentRole: session.role, currentDebateId: session.debateId },
        };
      }
      // One audience session per browser: dropping the session cookie brings the same one back (one vote).
      const ofDevice = (await store.listSessionDevices(debate.id)).filter(
        (entry) => entry.deviceId === client.clientId,
      );
      for (const { sessionId } of ofDevice) {
        const known = await store.getSession(sessionId);
        if (known?.role === "audience") {
          return { ok: true, debateId: debate.id, setCookie: cookies.serialize(known.id), confirm: null };
        }
      }
      const budget = await spend([[audiencePerAddress, addressKey(client.address)]]);
      if (!budget.allowed) {
        return refused(
          429,
          `Too many new audience members from here. Try again in ${waitMessage(budget.retryAfterMs)}.`,
        );
      }
      const audience: ParticipantSession = {
        id: newId(),
        role: "audience",
        displayName: "Audience",
        debateId: debate.id,
        accountId: null,
        teamId: null,
        color: presenceColor(),
      };
      await store.createSession(audience);
      await store.setSessionDevice(audience.id, client.clientId);
      live.controlChanged(debate.id);
      return { ok: true, debateId: debate.id, setCookie: cookies.serialize(audience.id), confirm: null };
    },
  };
}
