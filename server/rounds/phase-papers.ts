import { type Format, paperOpenFor } from "../../shared/rounds/formats";
import type { RoundState } from "../../shared/rounds/round-clock";
import type { Logger } from "../logger";
import type { PaperService } from "../papers/paper-service";
import type { Store } from "../store/types";

/** "10:42:00" in the server's time zone, as the snapshot names show it. */
export function clockTime(serverTime: number): string {
  return new Date(serverTime).toLocaleTimeString("en-GB", { hour12: false });
}

export function snapshotName(teamName: string, endedPhaseName: string, serverTime: number): string {
  return `${teamName} paper — end of ${endedPhaseName}, ${clockTime(serverTime)}`;
}

/** Whether a side may edit its paper in this state: the phase's rule, and nobody once the round is over. */
function paperOpenIn(round: RoundState, format: Format, side: number): boolean {
  if (round.state === "finished") return false;
  const phase = format.phases[round.phaseIndex];
  return phase ? paperOpenFor(phase.papers, side) : false;
}

/**
 * Brings every paper of a debate in line with the round: locks (with a named snapshot) the papers
 * the phase closes and unlocks those it opens. Idempotent, so it also repairs the papers after a
 * crash between saving a transition and applying it.
 */
export async function applyPhasePapers(
  deps: { store: Store; papers: PaperService; logger: Logger },
  debateId: string,
  format: Format,
  round: RoundState,
  endedPhaseName: string,
  serverTime: number,
): Promise<void> {
  for (const team of await deps.store.listTeams(debateId)) {
    const shouldBeOpen = paperOpenIn(round, format, team.sideIndex);
    if (team.paperLocked && shouldBeOpen) {
      await deps.papers.unlock(team.id);
      deps.logger.info(`Round ${debateId}: ${team.name} paper unlocked`);
    } else if (!team.paperLocked && !shouldBeOpen) {
      const snapshot = await deps.papers.lock(
        team.id,
        snapshotName(team.name, endedPhaseName, serverTime),
        `the end of ${endedPhaseName}`,
      );
      deps.logger.info(`Round ${debateId}: ${team.name} paper locked, snapshot "${snapshot.name}"`);
    }
  }
}
