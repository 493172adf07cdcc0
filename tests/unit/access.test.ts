import { describe, expect, it } from "vitest";
import { mayOnDebate, mayReadBallots, paperAccess } from "../../server/access";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import type { SessionInfo } from "../../shared/session";

const debate = { id: "d1", ownerId: "acc1", revealPolicy: "after-lock", archivedAt: null } as Pick<
  DebateRecord,
  "id" | "ownerId" | "revealPolicy" | "archivedAt"
>;
const team = (id: string, paperLocked = false, paperLockReason: string | null = null): TeamRecord => ({
  id,
  debateId: "d1",
  sideIndex: 0,
  name: id,
  description: "",
  color: "#000000",
  paperLocked,
  paperLockReason,
});
const session = (overrides: Partial<SessionInfo>): SessionInfo => ({
  id: "s",
  role: "student",
  displayName: "X",
  debateId: "d1",
  accountId: null,
  teamId: "t1",
  color: "#000000",
  ...overrides,
});

describe("access", () => {
  const owner = session({ role: "instructor", debateId: null, accountId: "acc1", teamId: null });
  const stranger = session({ role: "instructor", debateId: null, accountId: "acc2", teamId: null });

  it("lets only the owning account manage and run the round", () => {
    expect(mayOnDebate(owner, "manage", debate).allowed).toBe(true);
    expect(mayOnDebate(stranger, "manage", debate).allowed).toBe(false);
    expect(mayOnDebate(session({}), "control-round", debate).allowed).toBe(false);
    expect(mayOnDebate(session({ debateId: "d2" }), "enter-room", debate).allowed).toBe(false);
    expect(mayOnDebate(session({ role: "audience", teamId: null }), "follow-round", debate).allowed).toBe(true);
  });

  it("lets a student of the debate pick a team only where students choose; snapshots are the owner's and judges'", () => {
    const choosing = { ...debate, teamMode: "choose" as const };
    expect(mayOnDebate(session({ teamId: null }), "choose-team", choosing).allowed).toBe(true);
    expect(mayOnDebate(session({ teamId: null }), "choose-team", { ...debate, teamMode: "assign" })).toEqual({
      allowed: false,
      reason: "Your instructor puts students on teams in this debate.",
    });
    expect(mayOnDebate(session({ role: "judge", teamId: null }), "choose-team", choosing).allowed).toBe(false);
    expect(mayOnDebate(session({ debateId: "d2", teamId: null }), "choose-team", choosing).allowed).toBe(false);
    expect(mayOnDebate(owner, "read-snapshots", debate).allowed).toBe(true);
    expect(mayOnDebate(session({ role: "judge", teamId: null }), "read-snapshots", debate).allowed).toBe(true);
    expect(mayOnDebate(session({}), "read-snapshots", debate).allowed).toBe(false);
    expect(mayOnDebate(session({ role: "audience", teamId: null }), "read-snapshots", debate).allowed).toBe(false);
  });

  it("lets judges of the debate judge, the audience vote, and everyone in the debate open the results", () => {
    const judge = session({ role: "judge", teamId: null });
    const audience = session({ role: "audience", teamId: null });
    expect(mayOnDebate(judge, "judge", debate).allowed).toBe(true);
    expect(mayOnDebate(session({ role: "judge", debateId: "d2" }), "judge", debate).allowed).toBe(false);
    for (const other of [owner, session({}), audience]) expect(mayOnDebate(other, "judge", debate).allowed).toBe(false);
    expect(mayOnDebate(audience, "vote-as-audience", debate).allowed).toBe(true);
    expect(mayOnDebate(judge, "vote-as-audience", debate).allowed).toBe(false);
    for (const member of [owner, judge, audience, session({})]) {
      expect(mayOnDebate(member, "see-results", debate).allowed).toBe(true);
    }
    expect(mayOnDebate(stranger, "see-results", debate).allowed).toBe(false);
  });

  it("shows ballots to the owner, to a judge only after submitting, and never to students or the audience", () => {
    const judge = session({ role: "judge", teamId: null });
    expect(mayReadBallots(owner, debate, null).allowed).toBe(true);
    expect(mayReadBallots(judge, debate, null)).toEqual({
      allowed: false,
      reason: "Submit your own ballot first to see the others.",
    });
    expect(mayReadBallots(judge, debate, "draft").allowed).toBe(false);
    expect(mayReadBallots(judge, debate, "submitted").allowed).toBe(true);
    expect(mayReadBallots(session({ role: "judge", debateId: "d2" }), debate, "submitted").allowed).toBe(false);
    expect(mayReadBallots(stranger, debate, null).allowed).toBe(false);
    for (const role of ["student", "audience"] as const) {
      expect(mayReadBallots(session({ role }), debate, "submitted").allowed).toBe(false);
    }
  });

  it("never treats an instructor without an account, or an unowned debate, as owned", () => {
    const unowned = { ...debate, ownerId: null };
    expect(mayOnDebate(session({ role: "instructor", accountId: null }), "manage", unowned).allowed).toBe(false);
  });

  it("decides papers by role, team, lock and reveal", () => {
    expect(paperAccess(owner, debate, team("t2", true)).access).toBe("write");
    expect(paperAccess(stranger, debate, team("t1")).access).toBe("none");
    expect(paperAccess(session({}), debate, team("t1")).access).toBe("write");
    expect(paperAccess(session({}), debate, team("t1", true)).access).toBe("read");
    expect(paperAccess(session({}), debate, team("t2")).access).toBe("none");
    expect(paperAccess(session({}), debate, team("t2", true)).access).toBe("read");
    expect(paperAccess(session({ role: "judge", teamId: null }), debate, team("t2")).access).toBe("read");
    expect(paperAccess(session({ role: "audience", teamId: null }), debate, team("t1")).access).toBe("none");
  });

  it("makes every paper of an archived debate read-only, for the instructor too", () => {
    const archived = { ...debate, archivedAt: 1 };
    expect(paperAccess(owner, archived, team("t1"))).toEqual({
      access: "read",
      reason: "This debate is archived: its papers are read-only",
    });
    expect(paperAccess(session({}), archived, team("t1")).access).toBe("read");
    expect(paperAccess(session({}), archived, team("t2")).access).toBe("none");
  });

  it("tells a student why their paper is locked", () => {
    expect(paperAccess(session({}), debate, team("t1", true, "the end of Drafting")).reason).toBe(
      "This paper is locked since the end of Drafting: only the instructor can change it now",
    );
    expect(paperAccess(session({}), debate, team("t1", true)).reason).toBe(
      "This paper is locked: only the instructor can change it now",
    );
  });
});
