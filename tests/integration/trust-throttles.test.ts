import { beforeAll, describe, expect, it } from "vitest";
import { SIGNUP_PER_ADDRESS } from "../../server/auth/limits";
import type { DebateRecord } from "../../server/store/types";
import { http } from "../support/http";
import { serverForSuite } from "../support/test-server";

const count = (statuses: number[], status: number) => statuses.filter((value) => value === status).length;

/**
 * Issue 10, item 3, as the attacker did it: many requests in flight at once must be counted
 * against the budget before any of them is evaluated; log-in is limited per account too (also
 * across the addresses of one IPv6 /64); one student's burst never locks the rest of the class out.
 */
describe("throttles count attempts before anything is awaited", () => {
  // One proxy in front, so each request can come "from" its own address, as behind a real proxy.
  const suite = serverForSuite({ pages: "build", trustProxy: 1 });
  let debate: DebateRecord;

  const join = (code: string, name: string, headers: Record<string, string> = {}, cookie?: string) =>
    http(suite.running.url, "/join", { cookie, form: { code, name }, headers });

  beforeAll(async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
      headers: { "x-forwarded-for": "198.51.100.1" },
    });
    expect(signUp.status).toBe(302);
    [debate] = (await suite.running.server.store.listDebates()) as [DebateRecord];
  });

  it("40 wrong codes at once from one browser: 10 are evaluated, the rest refused", async () => {
    const school = { "x-forwarded-for": "203.0.113.7" };
    const browser = (await http(suite.running.url, "/join", { headers: school })).clientCookie!;
    const answers = await Promise.all(Array.from({ length: 40 }, () => join("WRONG2", "Guesser", school, browser)));
    const statuses = answers.map((answer) => answer.status);
    expect(count(statuses, 400)).toBe(10);
    expect(count(statuses, 429)).toBe(30);

    // The rest of the class, behind the same school address, still joins with the right code.
    const classmates = await Promise.all(
      Array.from({ length: 30 }, (_, index) => join(debate.studentCode, `Classmate ${index + 1}`, school)),
    );
    expect(classmates.map((answer) => answer.status)).toEqual(Array(30).fill(302));
  });

  it("20 wrong passwords at once for one account: at most 5 are checked", async () => {
    const wrong = { email: "okafor@example.test", password: "not the password at all" };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        http(suite.running.url, "/login", { form: wrong, headers: { "x-forwarded-for": "192.0.2.50" } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(count(statuses, 401)).toBe(5);
    expect(count(statuses, 429)).toBe(15);
  });

  it("an IPv6 /64 is one address, and an account is limited whatever address the guesses come from", async () => {
    await http(suite.running.url, "/signup", {
      form: { name: "Mr Lee", email: "lee@example.test", password: "a long enough password" },
      headers: { "x-forwarded-for": "198.51.100.2" },
    });
    const wrong = { email: "lee@example.test", password: "not the password at all" };
    const statuses: number[] = [];
    // Every guess from another address in one /64: the /64 is limited like one address (5 per account).
    for (let host = 1; host <= 6; host++) {
      const answer = await http(suite.running.url, "/login", {
        form: wrong,
        headers: { "x-forwarded-for": `2001:db8:7:1::${host.toString(16)}` },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);

    // Guesses spread over many /64s still meet the per-account budget (20, six of it spent above).
    const spread: number[] = [];
    for (let network = 1; network <= 20; network++) {
      const answer = await http(suite.running.url, "/login", {
        form: wrong,
        headers: { "x-forwarded-for": `2001:db8:${network.toString(16)}:2::1` },
      });
      spread.push(answer.status);
    }
    expect(count(spread, 401)).toBe(14);
    expect(count(spread, 429)).toBe(6);
  }, 30_000);

  it("sign-up is throttled per address", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 11; index++) {
      const answer = await http(suite.running.url, "/signup", {
        form: { name: "Spammer", email: `spam${index}@example.test`, password: "x" },
        headers: { "x-forwarded-for": "192.0.2.99" },
      });
      statuses.push(answer.status);
    }
    // Malformed sign-ups (short password) are refused before they cost a budget.
    expect(statuses).toEqual(Array(11).fill(400));
    const valid: number[] = [];
    for (let index = 0; index <= SIGNUP_PER_ADDRESS.points; index++) {
      const answer = await http(suite.running.url, "/signup", {
        form: { name: "Spammer", email: `spam${index}@example.test`, password: "a long enough password" },
        headers: { "x-forwarded-for": "192.0.2.99" },
      });
      valid.push(answer.status);
    }
    expect(valid).toEqual([...Array(SIGNUP_PER_ADDRESS.points).fill(302), 429]);
  }, 60_000);
});
