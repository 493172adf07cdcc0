import { beforeAll, describe, expect, it } from "vitest";
import type { DebateRecord } from "../../server/store/types";
import type { ControlView } from "../../shared/classroom/views";
import { http } from "../support/http";
import { serverForSuite } from "../support/test-server";

/**
 * Issue 10, item 2 (and the removal and display-name parts of item 8), as the attacker did it: a
 * second identity from a fresh browser trying to reach the other team, the same person twice on
 * the roster, a removed student rejoining at once, names that imitate someone else.
 */
describe("team membership the instructor controls", () => {
  const suite = serverForSuite({ pages: "build" });
  let instructor: string;
  let debate: DebateRecord;

  const join = (name: string, cookie?: string | null) =>
    http(suite.running.url, "/join", { cookie, form: { code: debate.studentCode, name } });
  const control = async (): Promise<ControlView> => {
    const outcome = await suite.running.server.services.controlView(
      (await suite.running.server.store.getSession(suite.running.server.cookies.read(instructor) ?? "")) ?? null,
      debate.id,
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.view;
  };
  const browser = async () => (await http(suite.running.url, "/join")).clientCookie!;
  const both = (device: string, session: string | null) => [device, session].filter(Boolean).join("; ");

  beforeAll(async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
    });
    instructor = signUp.sessionCookie!;
    const created = await http(suite.running.url, "/debates?index", { cookie: instructor, form: {} });
    debate = (await suite.running.server.store.getDebate(created.location!.split("/")[2]!))!;
  });

  it("new debates balance teams; a second identity cannot pick the other side", async () => {
    expect(debate.teamMode).toBe("balance");
    const teams = await suite.running.server.store.listTeams(debate.id);
    const amiraBrowser = await browser();
    const amira = await join("Amira", amiraBrowser);
    expect(amira.status).toBe(302);
    // The same student again from a fresh browser, asking for the other team.
    const second = await join("Amira");
    const pick = await http(suite.running.url, `/debates/${debate.id}`, {
      cookie: second.sessionCookie,
      form: { teamId: teams[1]!.id },
    });
    expect(pick.status).toBe(403);
    const participants = await suite.running.server.store.listParticipants(debate.id);
    expect(participants.map((session) => session.teamId)).toEqual([teams[0]!.id, teams[1]!.id]);
    // The control room flags the name twice.
    expect((await control()).doubts).toContainEqual({ kind: "same-name", names: ["Amira", "Amira"] });

    // Two people from one browser (the session cookie dropped, the device cookie kept) are flagged too.
    const ben = await join("Ben", amiraBrowser);
    expect(ben.status).toBe(302);
    expect((await control()).doubts).toContainEqual({ kind: "same-browser", names: ["Amira", "Ben"] });
  });

  it("removal keeps that browser out until the instructor lets it back in", async () => {
    const chenBrowser = await browser();
    const chen = await join("Chen", chenBrowser);
    const chenSession = (await suite.running.server.store.listParticipants(debate.id)).find(
      (session) => session.displayName === "Chen",
    )!;
    const removed = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: instructor,
      form: { intent: "remove", sessionId: chenSession.id },
    });
    expect(removed.status).toBe(200);
    for (const cookie of [both(chenBrowser, chen.sessionCookie), chenBrowser]) {
      const again = await join("Chen again", cookie);
      expect(again.status).toBe(403);
      expect(again.body).toContain("Your instructor removed you from this debate");
    }
    const [ban] = (await control()).removed;
    expect(ban).toMatchObject({ displayName: "Chen" });
    const letBack = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: instructor,
      form: { intent: "let-back", banId: ban!.banId },
    });
    expect(letBack.status).toBe(200);
    expect((await join("Chen", chenBrowser)).status).toBe(302);
    // A forged device cookie is not anyone's device: it is replaced, not trusted.
    const forged = await http(suite.running.url, "/join", {
      cookie: `caucus_client=${"A".repeat(22)}.${"B".repeat(43)}`,
    });
    expect(forged.clientCookie).not.toBeNull();
  });

  it("display names refuse hidden characters, the instructor's name and code names", async () => {
    for (const name of [
      "Am\u202Eira",
      "Ben\u200B",
      "Chen\u0007",
      "ms okafor",
      "Democracy promotion · Speaker 1",
      "Realpolitik • speaker 2",
    ]) {
      const answer = await join(name);
      expect(answer.status, name).toBe(400);
    }
    expect((await join("Zoë Ångström")).status).toBe(302);
  });
});
