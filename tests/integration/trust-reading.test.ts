import { beforeAll, describe, expect, it } from "vitest";
import { readingBlocks } from "../../shared/classroom/reading";
import { MAX_READING_LENGTH } from "../../shared/classroom/rules";
import { http } from "../support/http";
import { serverForSuite } from "../support/test-server";

/**
 * Issue 10, item 5, as the attacker did it: sign up (open to anyone), post a custom debate whose
 * reading is 200,000 characters of the input that made the old importer quadratic, and see that
 * the server keeps answering everyone else meanwhile.
 */
describe("the reading importer under hostile input", () => {
  const suite = serverForSuite({ pages: "build" });
  let attacker: string;

  beforeAll(async () => {
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Mallory", email: "mallory@example.test", password: "a long enough password" },
    });
    attacker = signUp.sessionCookie!;
  });

  it("a 200,000-character reading of unterminated markup is imported without stalling other requests", async () => {
    for (const unit of ["<", "*a _b [c](d <e ![f", "[a](<"]) {
      const reading = unit.repeat(Math.ceil(MAX_READING_LENGTH / unit.length)).slice(0, MAX_READING_LENGTH);
      const form = new URLSearchParams([
        ["title", "Hostile"],
        ["motion", "This house would stall the server"],
        ["sideName", "A"],
        ["sideDescription", ""],
        ["sideName", "B"],
        ["sideDescription", ""],
        ["readingTitle", "Reading"],
        ["reading", reading],
        ["formatId", "classroom"],
      ]);
      const posted = fetch(`${suite.running.url}/debates/new`, {
        method: "POST",
        headers: { origin: suite.running.url, cookie: attacker },
        body: form,
        redirect: "manual",
      });
      // A classmate's page load while the import runs: generous bound; the old importer took tens of seconds.
      const started = Date.now();
      expect((await http(suite.running.url, "/join")).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
      const created = await posted;
      expect(created.status).toBe(302);
      const debate = await suite.running.server.store.getDebate(created.headers.get("location")!.split("/")[2]!);
      expect(readingBlocks(debate!.readingText).length).toBeGreaterThan(0);
    }
  });
});
