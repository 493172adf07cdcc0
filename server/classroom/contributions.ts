import type { ContributorView } from "../../shared/classroom/views";
import { paperDocumentId } from "../../shared/papers/documents";
import type { CaucusServices } from "../../shared/services";
import { debateGuard } from "../guard";
import type { Store } from "../store/types";
import { toSummary, toTeamView } from "./views";

/** Who wrote what: characters each student wrote into and deleted from their team's paper, per minute. */
export function createContributionsServices(store: Store): Pick<CaucusServices, "contributionsView"> {
  const debateFor = debateGuard(store);

  return {
    async contributionsView(session, debateId) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const { debate } = found;
      const teams = await store.listTeams(debateId);
      const perTeam = await Promise.all(teams.map((team) => store.listContributions(paperDocumentId(team.id))));
      const allMinutes = perTeam.flat().map((record) => record.minuteStart);
      const first = Math.min(...allMinutes);
      const minutes =
        allMinutes.length === 0
          ? []
          : Array.from(
              { length: (Math.max(...allMinutes) - first) / 60_000 + 1 },
              (_, index) => first + index * 60_000,
            );
      const names = new Map<string, string>();
      for (const record of perTeam.flat()) {
        if (!names.has(record.sessionId)) {
          names.set(record.sessionId, (await store.getSession(record.sessionId))?.displayName ?? "Removed student");
        }
      }
      const papers = teams.map((team, index) => {
        const bySession = new Map<string, ContributorView>();
        for (const record of perTeam[index]!) {
          const contributor = bySession.get(record.sessionId) ?? {
            sessionId: record.sessionId,
            displayName: names.get(record.sessionId)!,
            inserted: 0,
            deleted: 0,
            insertedPerMinute: minutes.map(() => 0),
          };
          contributor.inserted += record.inserted;
          contributor.deleted += record.deleted;
          contributor.insertedPerMinute[(record.minuteStart - first) / 60_000]! += record.inserted;
          bySession.set(record.sessionId, contributor);
        }
        const contributors = [...bySession.values()].sort((a, b) => b.inserted - a.inserted);
        return { team: toTeamView(team), contributors };
      });
      return { ok: true, view: { debate: toSummary(debate), minutes, papers } };
    },
  };
}
