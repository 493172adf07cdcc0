import type { CustomDebateInput, TeamMode } from "../../shared/classroom/rules";
import { paperDocumentId } from "../../shared/papers/documents";
import { newId, newJoinCode } from "../ids";
import { scaffoldUpdate } from "../papers/scaffold";
import type { DebatePack } from "../seed/essay-pack";
import type { DebateRecord, Store } from "../store/types";
import { readingFromMarkdown } from "./reading-import";

/** Side colours in order: distinct, dark enough for white text (WCAG AA), with the side's name as the second cue. */
const SIDE_COLORS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490"];

export interface DebateOptions {
  ownerId: string | null;
  formatId: string;
  teamMode: TeamMode;
}

/** A join code no other debate uses as its student or judge code. */
export async function unusedJoinCode(store: Store, avoid: string[] = []): Promise<string> {
  for (;;) {
    const code = newJoinCode();
    if (!avoid.includes(code) && !(await store.findDebateByJoinCode(code))) return code;
  }
}

export async function createDebateFromPack(
  store: Store,
  pack: DebatePack,
  options: DebateOptions,
): Promise<DebateRecord> {
  const debateId = newId();
  const teams = pack.sides.map((side, sideIndex) => ({
    id: newId(),
    debateId,
    sideIndex,
    name: side.name,
    description: side.description,
    color: side.color,
    paperLocked: false,
    paperLockReason: null,
  }));
  const initialDocuments = new Map(
    teams.map((team, index) => [paperDocumentId(team.id), scaffoldUpdate(pack.sides[index]!)] as const),
  );
  const studentCode = await unusedJoinCode(store);
  const judgeCode = await unusedJoinCode(store, [studentCode]);
  await store.createDebate({
    debate: {
      id: debateId,
      title: pack.title,
      motion: pack.motion,
      readingTitle: pack.readingTitle,
      readingCredit: pack.readingCredit,
      readingText: pack.readingText,
      formatId: options.formatId,
      studentCode,
      judgeCode,
      audienceKey: newId(),
      ownerId: options.ownerId,
      teamMode: options.teamMode,
    },
    teams,
    initialDocuments,
  });
  const debate = await store.getDebate(debateId);
  if (!debate) throw new Error(`Debate ${debateId} vanished right after it was created`);
  return debate;
}

/** An instructor's own motion: their sides, their reading (plain text or Markdown), a paper scaffold per side. */
export function packFromCustomDebate(input: CustomDebateInput): DebatePack {
  return {
    title: input.title,
    motion: input.motion,
    readingTitle: input.readingTitle || "Reading",
    readingCredit: input.reading.trim() ? "Provided by your instructor." : "No reading for this debate.",
    readingText: readingFromMarkdown(input.reading),
    sides: input.sides.map((side, index) => ({
      name: side.name,
      description: side.description,
      color: SIDE_COLORS[index % SIDE_COLORS.length]!,
      thesisPrompt: `State in one sentence the case for ${side.name}.`,
      arguments: [],
    })),
  };
}
