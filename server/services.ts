import { paperDocumentId } from "../shared/documents";
import { splitParagraphs } from "../shared/reading";
import type { RoundPageServices } from "../shared/round-views";
import type { SessionInfo } from "../shared/session";
import type { CaucusServices, DebateSummary, JoinResult, PaperView, TeamView } from "../shared/views";
import { paperAccess } from "./access";
import type { SessionCookies } from "./auth/session-cookie";
import { createDebateFromPack } from "./debates";
import { newId } from "./ids";
import { ESSAY_PACK } from "./seed/essay-pack";
import type { DebateRecord, Store, TeamRecord } from "./store/types";

/** Caret colours: distinct, dark enough for white labels (WCAG AA), #rrggbb as Tiptap needs. */
const PRESENCE_COLORS = ["#b91c1c", "#047857", "#6d28d9", "#be185d", "#0e7490", "#a16207", "#4338ca", "#15803d"];

export const MAX_DISPLAY_NAME_LENGTH = 40;

function presenceColor(): string {
  return PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)]!;
}

function normalizeName(raw: string): string {
  return raw.replace(/\s+/g, " ").trim().slice(0, MAX_DISPLAY_NAME_LENGTH);
}

const toTeamView = (team: TeamRecord): TeamView => ({
  id: team.id,
  sideIndex: team.sideIndex,
  name: team.name,
  description: team.description,
  color: team.color,
  docId: paperDocumentId(team.id),
});

const toSummary = (debate: DebateRecord): DebateSummary => ({
  id: debate.id,
  title: debate.title,
  motion: debate.motion,
  formatId: debate.formatId,
});

/** Everything pages ask of the server except the round pages (server/rounds/round-pages.ts). */
export function createServices(store: Store, cookies: SessionCookies): Omit<CaucusServices, keyof RoundPageServices> {
  async function startSession(debateId: string, role: SessionInfo["role"], displayName: string): Promise<JoinResult> {
    const session: SessionInfo = { id: newId(), role, displayName, debateId, teamId: null, color: presenceColor() };
    await store.createSession(session);
    return { ok: true, debateId, setCookie: cookies.serialize(session.id) };
  }

  return {
    async startFromEssay(instructorName) {
      const debate = await createDebateFromPack(store, ESSAY_PACK);
      const result = await startSession(debate.id, "instructor", normalizeName(instructorName) || "Instructor");
      if (!result.ok) throw new Error(result.reason);
      return { debateId: result.debateId, setCookie: result.setCookie };
    },

    async join(code, rawName) {
      const displayName = normalizeName(rawName);
      if (!displayName) return { ok: false, reason: "Enter your name so your team knows who is writing." };
      const found = await store.findDebateByJoinCode(code.trim().toUpperCase());
      if (!found) return { ok: false, reason: "No debate has that join code. Check it with your instructor." };
      return startSession(found.debate.id, found.role, displayName);
    },

    async openControlRoomWithKey(hostKey) {
      const debate = await store.findDebateByHostKey(hostKey);
      if (!debate) return { ok: false, reason: "This instructor link is not valid." };
      return startSession(debate.id, "instructor", "Instructor");
    },

    async roomView(session, debateId) {
      if (session.debateId !== debateId) return null;
      const debate = await store.getDebate(debateId);
      if (!debate) return null;
      const teams = await store.listTeams(debateId);
      const papers: PaperView[] = [];
      for (const team of teams) {
        const { access, reason } = paperAccess(session, debate, team);
        if (access !== "none") papers.push({ team: toTeamView(team), access, reason });
      }
      papers.sort((a, b) => Number(b.team.id === session.teamId) - Number(a.team.id === session.teamId));
      return {
        debate: toSummary(debate),
        reading: {
          title: debate.readingTitle,
          credit: debate.readingCredit,
          paragraphs: splitParagraphs(debate.readingText),
        },
        me: { displayName: session.displayName, role: session.role, color: session.color, teamId: session.teamId },
        teams: teams.map(toTeamView),
        papers,
      };
    },

    async chooseTeam(session, teamId) {
      if (session.role !== "student") return { ok: false, reason: "Only students join a team." };
      if (session.teamId) return { ok: false, reason: "You are already on a team; ask your instructor to move you." };
      const team = await store.getTeam(teamId);
      if (!team || team.debateId !== session.debateId) return { ok: false, reason: "No such team in this debate." };
      await store.setSessionTeam(session.id, team.id);
      return { ok: true };
    },

    async controlView(session, debateId) {
      if (session.role !== "instructor" || session.debateId !== debateId) return null;
      const debate = await store.getDebate(debateId);
      if (!debate) return null;
      const teams = await store.listTeams(debateId);
      return {
        debate: toSummary(debate),
        studentCode: debate.studentCode,
        judgeCode: debate.judgeCode,
        hostKey: debate.hostKey,
        teams: teams.map(toTeamView),
      };
    },
  };
}
