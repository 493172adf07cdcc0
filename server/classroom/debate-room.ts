import { readingBlocks } from "../../shared/classroom/reading";
import { chooseTeamSchema } from "../../shared/classroom/rules";
import type { PaperView } from "../../shared/classroom/views";
import { invalid, refused } from "../../shared/outcome";
import type { CaucusServices } from "../../shared/services";
import { paperAccess } from "../access";
import { debateGuard } from "../guard";
import type { Store } from "../store/types";
import { publicName } from "./code-names";
import type { LiveConnections } from "./live-connections";
import { toSummary, toTeamView } from "./views";

/** The debate room's page: the reading, the papers this session may open, and choosing a team. */
export function createDebateRoomServices(
  store: Store,
  live: Pick<LiveConnections, "controlChanged">,
): Pick<CaucusServices, "roomView" | "chooseTeam"> {
  const debateFor = debateGuard(store);

  return {
    async roomView(maybeSession, debateId) {
      const found = await debateFor(maybeSession, debateId, "enter-room");
      if (!found.ok) return found;
      const { debate, session } = found;
      const teams = await store.listTeams(debateId);
      const papers: PaperView[] = [];
      for (const team of teams) {
        const { access, reason } = paperAccess(session, debate, team);
        if (access !== "none") papers.push({ team: toTeamView(team), access, reason });
      }
      papers.sort((a, b) => Number(b.team.id === session.teamId) - Number(a.team.id === session.teamId));
      return {
        ok: true,
        view: {
          debate: toSummary(debate),
          reading: {
            title: debate.readingTitle,
            credit: debate.readingCredit,
            blocks: readingBlocks(debate.readingText),
          },
          me: {
            displayName: session.displayName,
            publicName: await publicName(store, session, debate),
            role: session.role,
            color: session.color,
            teamId: session.teamId,
          },
          teamMode: debate.teamMode,
          teams: teams.map(toTeamView),
          papers,
        },
      };
    },

    async chooseTeam(maybeSession, debateId, fields) {
      const found = await debateFor(maybeSession, debateId, "choose-team");
      if (!found.ok) return found;
      const { debate, session } = found;
      if (session.teamId) return refused(409, "You are already on a team; ask your instructor to move you.");
      const parsed = chooseTeamSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const team = await store.getTeam(parsed.data.teamId);
      if (!team || team.debateId !== debate.id) return refused(400, "No such team in this debate.");
      await store.setSessionTeam(session.id, team.id);
      live.controlChanged(debate.id);
      return { ok: true };
    },
  };
}
