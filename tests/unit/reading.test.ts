import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { splitParagraphs } from "../../shared/classroom/reading";

describe("splitting a reading into numbered paragraphs", () => {
  it("splits on blank lines and joins wrapped lines", () => {
    expect(splitParagraphs("One\nstill one.\r\n\r\nTwo.\n\n\n  \nThree.")).toEqual([
      "One still one.",
      "Two.",
      "Three.",
    ]);
  });

  it("finds the eleven paragraphs of the seed essay", () => {
    const essay = readFileSync(new URL("../../server/seed/confrontation-in-the-caucasus.txt", import.meta.url), "utf8");
    const paragraphs = splitParagraphs(essay);
    expect(paragraphs).toHaveLength(11);
    expect(paragraphs[2]).toContain("get the Article V guarantee first");
  });
});
