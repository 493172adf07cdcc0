import type { RevealPolicy, TeamMode } from "../../shared/classroom/rules";
import type { DebateRecord } from "./types";

/** A `debates` row and its record: apart from sqlite.ts so the per-feature stores can map rows without a cycle. */
export interface DebateRow {
  id: string;
  title: string;
  motion: string;
  reading_title: string;
  reading_credit: string;
  reading_text: string;
  format_id: string;
  student_code: string;
  judge_code: string;
  audience_key: string;
  owner_id: string | null;
  team_mode: TeamMode;
  code_names: number;
  archived_at: number | null;
  reveal_policy: RevealPolicy;
  created_at: number;
}

export const toDebate = (row: DebateRow): DebateRecord => ({
  id: row.id,
  title: row.title,
  motion: row.motion,
  readingTitle: row.reading_title,
  readingCredit: row.reading_credit,
  readingText: row.reading_text,
  formatId: row.format_id,
  studentCode: row.student_code,
  judgeCode: row.judge_code,
  audienceKey: row.audience_key,
  ownerId: row.owner_id,
  teamMode: row.team_mode,
  codeNames: row.code_names === 1,
  archivedAt: row.archived_at,
  revealPolicy: row.reveal_policy,
  createdAt: row.created_at,
});
