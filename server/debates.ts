import { paperDocumentId } from "../shared/documents";
import { CLASSROOM_FORMAT } from "../shared/formats";
import { scaffoldUpdate } from "./docs/scaffold";
import { newId, newJoinCode } from "./ids";
import type { DebatePack } from "./seed/essay-pack";
import type { DebateRecord, Store } from "./store/types";

export async function createDebateFromPack(store: Store, pack: DebatePack): Promise<DebateRecord> {
  const debateId = newId();
  const teams = pack.sides.map((side, sideIndex) => ({
    id: newId(),
    debateId,
    sideIndex,
    name: side.name,
    description: side.description,
    color: side.color,
    paperLocked: false,
  }));
  const initialDocuments = new Map(
    teams.map((team, index) => [paperDocumentId(team.id), scaffoldUpdate(pack.sides[index]!)] as const),
  );
  const studentCode = newJoinCode();
  let judgeCode = newJoinCode();
  while (judgeCode === studentCode) judgeCode = newJoinCode();
  await store.createDebate({
    debate: {
      id: debateId,
      title: pack.title,
      motion: pack.motion,
      readingTitle: pack.readingTitle,
      readingCredit: pack.readingCredit,
      readingText: pack.readingText,
      formatId: CLASSROOM_FORMAT.id,
      studentCode,
      judgeCode,
      hostKey: newId(),
    },
    teams,
    initialDocuments,
  });
  const debate = await store.getDebate(debateId);
  if (!debate) throw new Error(`Debate ${debateId} vanished right after it was created`);
  return debate;
}
