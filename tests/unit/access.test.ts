import { describe, expect, it } from "vitest";
import { mayOnDebate, paperAccess } from "../../server/access";
import type { DebateRecord, TeamRecord } from "../../server/store/types";
import type { SessionInfo } from "../../shared/session";

const debate = { id: "d1", ownerId: "acc1", revealPolicy: "after-lock" } as Pick<
  DebateRecord,
  "id" | "ownerId" | "revealPolicy"
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

  it("tells a student why their paper is locked", () => {
    expect(paperAccess(session({}), debate, team("t1", true, "the end of Drafting")).reason).toBe(
      "This paper is locked since the end of Drafting: only the instructor can change it now",
    );
    expect(paperAccess(session({}), debate, team("t1", true)).reason).toBe(
      "This paper is locked: only the instructor can change it now",
    );
  });
});
