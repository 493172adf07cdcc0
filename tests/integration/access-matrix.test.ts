import { beforeAll, describe, expect, it } from "vitest";
import type { RevealPolicy, TeamRecord } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import type { Role } from "../../shared/session";
import { CloseCode } from "../../shared/wire/protocol";
import { probePaper } from "../support/raw-probe";
import { serverForSuite, sessionCookie, storedPaperText } from "../support/test-server";

type Who = "instructor" | "own-team student" | "other-team student" | "judge" | "audience" | "no session";
type PaperState = "drafting" | "locked" | "revealed" | "archived";
type Expected = "write" | "read" | "none" | "no session";

const PAPER_STATES: Record<PaperState, { locked: boolean; reveal: RevealPolicy; archived: boolean }> = {
  drafting: { locked: false, reveal: "after-lock", archived: false },
  locked: { locked: true, reveal: "never", archived: false },
  revealed: { locked: true, reveal: "after-lock", archived: false },
  // An archived debate is a record: nobody writes, not even the instructor (decision 086).
  archived: { locked: false, reveal: "after-lock", archived: true },
};

const MATRIX: Record<Who, Record<PaperState, Expected>> = {
  instructor: { drafting: "write", locked: "write", revealed: "write", archived: "read" },
  "own-team student": { drafting: "write", locked: "read", revealed: "read", archived: "read" },
  "other-team student": { drafting: "none", locked: "none", revealed: "read", archived: "none" },
  judge: { drafting: "read", locked: "read", revealed: "read", archived: "read" },
  audience: { drafting: "none", locked: "none", revealed: "none", archived: "none" },
  "no session": { drafting: "no session", locked: "no session", revealed: "no session", archived: "no session" },
};

describe("who may do what with a paper, enforced by the server", () => {
  const suite = serverForSuite();
  let paperTeam: TeamRecord;
  let otherTeam: TeamRecord;
  const cookies = new Map<Who, string | null>();

  beforeAll(async () => {
    const [debate] = await suite.running.server.store.listDebates();
    [paperTeam, otherTeam] = (await suite.running.server.store.listTeams(debate!.id)) as [TeamRecord, TeamRecord];
    const sessions: [Who, Role, string | null][] = [
      ["instructor", "instructor", null],
      ["own-team student", "student", paperTeam.id],
      ["other-team student", "student", otherTeam.id],
      ["judge", "judge", null],
      ["audience", "audience", null],
    ];
    for (const [who, role, teamId] of sessions) {
      cookies.set(who, (await sessionCookie(suite.running.server, { role, debateId: debate!.id, teamId })).cookie);
    }
    cookies.set("no session", null);
  });

  for (const [paperState, rules] of Object.entries(PAPER_STATES) as [PaperState, (typeof PAPER_STATES)[PaperState]][]) {
    it(`enforces every role's rights while the paper is ${paperState}`, async () => {
      await suite.running.server.store.setPaperLocked(paperTeam.id, rules.locked);
      await suite.running.server.store.updateDebateSettings(paperTeam.debateId, {
        revealPolicy: rules.reveal,
        archivedAt: rules.archived ? Date.now() : null,
      });
      const url = `${suite.running.wsUrl}/yjs/${paperDocumentId(paperTeam.id)}`;
      for (const [who, expectations] of Object.entries(MATRIX) as [Who, Record<PaperState, Expected>][]) {
        const marker = `probe by ${who} while ${paperState}`;
        const outcome = await probePaper(url, cookies.get(who) ?? null, marker);
        const expected = expectations[paperState];
        const label = `${who} / ${paperState}`;
        switch (expected) {
          case "write":
            expect(outcome, label).toMatchObject({ kind: "open", notice: { access: "write" }, editAnswer: "saved" });
            expect(await storedPaperText(suite.running.server.store, paperDocumentId(paperTeam.id)), label).toContain(
              marker,
            );
            break;
          case "read":
            expect(outcome, label).toMatchObject({ kind: "open", notice: { access: "read" }, editAnswer: "refused" });
            expect(
              await storedPaperText(suite.running.server.store, paperDocumentId(paperTeam.id)),
              label,
            ).not.toContain(marker);
            break;
          case "none":
            expect(outcome, label).toMatchObject({ kind: "closed", code: CloseCode.forbidden });
            break;
          case "no session":
            expect(outcome, label).toMatchObject({ kind: "closed", code: CloseCode.noSession });
            break;
        }
      }
    });
  }
});
