import type Database from "better-sqlite3";
import { rubricSchema } from "../../shared/judging/rubrics";
import {
  type AudienceMoment,
  type BallotStatus,
  ballotContentSchema,
  type ReleaseStage,
} from "../../shared/judging/rules";
import type { AudienceVoteRecord, BallotRecord, JudgingSettings, JudgingStore } from "./types";

export interface SettingsRow {
  rubric_json: string;
  custom_rubric_json: string | null;
  chair_session_id: string | null;
  release_stage: ReleaseStage;
}

export interface BallotRow {
  judge_session_id: string;
  debate_id: string;
  status: BallotStatus;
  content_json: string;
  updated_at: number;
  submitted_at: number | null;
}

export interface VoteRow {
  session_id: string;
  moment: AudienceMoment;
  debate_id: string;
  team_id: string;
  voted_at: number;
}

export const toBallot = (row: BallotRow): BallotRecord => ({
  judgeSessionId: row.judge_session_id,
  debateId: row.debate_id,
  status: row.status,
  content: ballotContentSchema.parse(JSON.parse(row.content_json)),
  updatedAt: row.updated_at,
  submittedAt: row.submitted_at,
});

/** The judging tables (migration 006): per-debate settings, one ballot per judge, audience votes. */
export function sqliteJudgingStore(db: Database.Database): JudgingStore {
  const statements = {
    getSettings: db.prepare<[string], SettingsRow>(
      "SELECT rubric_json, custom_rubric_json, chair_session_id, release_stage FROM judging_settings WHERE debate_id = ?",
    ),
    saveSettings: db.prepare(
      `INSERT INTO judging_settings (debate_id, rubric_json, custom_rubric_json, chair_session_id, release_stage, updated_at)
       VALUES (@debateId, @rubricJson, @customRubricJson, @chairSessionId, @releaseStage, @updatedAt)
       ON CONFLICT (debate_id) DO UPDATE SET rubric_json = excluded.rubric_json,
         custom_rubric_json = excluded.custom_rubric_json, chair_session_id = excluded.chair_session_id,
         release_stage = excluded.release_stage, updated_at = excluded.updated_at`,
    ),
    saveBallot: db.prepare(
      `INSERT INTO ballots (judge_session_id, debate_id, status, content_json, updated_at, submitted_at)
       VALUES (@judgeSessionId, @debateId, @status, @contentJson, @updatedAt, @submittedAt)
       ON CONFLICT (judge_session_id) DO UPDATE SET status = excluded.status, content_json = excluded.content_json,
         updated_at = excluded.updated_at, submitted_at = excluded.submitted_at`,
    ),
    getBallot: db.prepare<[string], BallotRow>("SELECT * FROM ballots WHERE judge_session_id = ?"),
    listBallots: db.prepare<[string], BallotRow>("SELECT * FROM ballots WHERE debate_id = ? ORDER BY updated_at"),
    saveVote: db.prepare(
      `INSERT INTO audience_votes (session_id, moment, debate_id, team_id, voted_at)
       VALUES (@sessionId, @moment, @debateId, @teamId, @votedAt)
       ON CONFLICT (session_id, moment) DO UPDATE SET team_id = excluded.team_id, voted_at = excluded.voted_at`,
    ),
    listVotes: db.prepare<[string], VoteRow>("SELECT * FROM audience_votes WHERE debate_id = ? ORDER BY voted_at"),
  };

  return {
    async getJudgingSettings(debateId) {
      const row = statements.getSettings.get(debateId);
      if (!row) return undefined;
      return {
        rubric: rubricSchema.parse(JSON.parse(row.rubric_json)),
        customRubric: row.custom_rubric_json ? rubricSchema.parse(JSON.parse(row.custom_rubric_json)) : null,
        chairSessionId: row.chair_session_id,
        releaseStage: row.release_stage,
      } satisfies JudgingSettings;
    },
    async saveJudgingSettings(debateId, settings) {
      statements.saveSettings.run({
        debateId,
        rubricJson: JSON.stringify(settings.rubric),
        customRubricJson: settings.customRubric ? JSON.stringify(settings.customRubric) : null,
        chairSessionId: settings.chairSessionId,
        releaseStage: settings.releaseStage,
        updatedAt: Date.now(),
      });
    },
    async saveBallot(ballot) {
      statements.saveBallot.run({ ...ballot, contentJson: JSON.stringify(ballot.content) });
    },
    async getBallot(judgeSessionId) {
      const row = statements.getBallot.get(judgeSessionId);
      return row ? toBallot(row) : undefined;
    },
    async listBallots(debateId) {
      return statements.listBallots.all(debateId).map(toBallot);
    },
    async saveAudienceVote(vote) {
      statements.saveVote.run(vote);
    },
    async listAudienceVotes(debateId) {
      return statements.listVotes.all(debateId).map(
        (row): AudienceVoteRecord => ({
          sessionId: row.session_id,
          moment: row.moment,
          debateId: row.debate_id,
          teamId: row.team_id,
          votedAt: row.voted_at,
        }),
      );
    },
  };
}
