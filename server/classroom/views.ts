import type { DebateSummary, TeamView } from "../../shared/classroom/views";
import { paperDocumentId } from "../../shared/papers/documents";
import type { DebateRecord, TeamRecord } from "../store/types";

/** Store records as the plain views pages receive; every feature's services map through these. */
export const toTeamView = (team: TeamRecord): TeamView => ({
  id: team.id,
  sideIndex: team.sideIndex,
  name: team.name,
  description: team.description,
  color: team.color,
  docId: paperDocumentId(team.id),
});

export const toSummary = (debate: DebateRecord): DebateSummary => ({
  id: debate.id,
  title: debate.title,
  motion: debate.motion,
  formatId: debate.formatId,
  archived: debate.archivedAt !== null,
});
