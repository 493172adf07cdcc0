import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readingFromMarkdown } from "../../server/classroom/reading-import";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { readingBlocks, splitParagraphs } from "../../shared/classroom/reading";
import { MAX_READING_LENGTH } from "../../shared/classroom/rules";

const fill = (unit: string) => unit.repeat(Math.ceil(MAX_READING_LENGTH / unit.length)).slice(0, MAX_READING_LENGTH);

/** Inputs that made regex importers and Markdown libraries take quadratic time or overflow the stack. */
const WORST_INPUTS: Record<string, string> = {
  "unterminated tags": fill("<"),
  "tag openers with words": fill("<a "),
  "image openers": fill("!["),
  "link openers": fill("["),
  "link closers without targets": fill("[a]("),
  "unclosed link targets": fill("[a](<"),
  "link target of parenthesised groups, never closed": `[a](${fill("(b)")}`.slice(0, MAX_READING_LENGTH),
  "links within link targets": fill("[a]((b)[c]("),
  "emphasis runs": fill("*"),
  "mixed emphasis": fill("*_"),
  "strong openers": fill("**a"),
  "mixed inline": fill("*a _b [c](d <e ![f"),
  backticks: fill("`"),
  backslashes: fill("\\"),
  entities: fill("&#"),
  "comment openers": fill("<!--"),
  "nested quotes": fill("> "),
  "nested quoted lists": fill("> - "),
  "list lines": fill("- a\n"),
  "heading markers": fill("#"),
  "rule-like lines": fill("- - -\n"),
  "spaces then a star": `${" ".repeat(MAX_READING_LENGTH - 2)}*a`,
};

describe("reading import", () => {
  // The bound is about growth, not speed: linear work takes tens of ms here, quadratic work on
  // 200,000 characters takes minutes. A busy CI box has taken 137 ms, so the bound leaves room.
  it.each(Object.entries(WORST_INPUTS))("%s: 200,000 characters finish in under a second", (_name, input) => {
    expect(input.length).toBe(MAX_READING_LENGTH);
    readingFromMarkdown(input.slice(0, 20_000));
    // The fastest of three runs: what the input costs, not what the other processes on the box cost.
    const runs = Array.from({ length: 3 }, () => {
      const started = performance.now();
      readingFromMarkdown(input);
      return performance.now() - started;
    });
    expect(Math.min(...runs)).toBeLessThan(1000);
  });

  it("keeps plain text paragraphs as they are", () => {
    expect(splitParagraphs(readingFromMarkdown("First line\ncontinues.\n\nSecond."))).toEqual([
      "First line continues.",
      "Second.",
    ]);
  });

  it("reduces Markdown to its words and drops every tag; a heading is not a numbered paragraph", () => {
    const source = [
      "## A heading",
      "",
      "Some **bold**, _italic_ and `code` with [a link](javascript:alert(1)) and ![an image](x.png).",
      "",
      '<img src=x onerror="alert(1)"><script>alert(2)</script>',
      "",
      "> a quote",
      "",
      "- one",
      "- two",
    ].join("\n");
    const reading = readingFromMarkdown(source);
    expect(splitParagraphs(reading)).toEqual([
      "Some bold, italic and code with a link and an image.",
      "alert(2)",
      "a quote",
      "one",
      "two",
    ]);
    expect(readingBlocks(reading)[0]).toEqual({ kind: "heading", text: "A heading" });
  });

  it("keeps headings unnumbered, list items separate, link text, and no HTML", () => {
    const reading = readingFromMarkdown(
      [
        "# The limits of *US* power",
        "",
        "First paragraph with a [link to the source](https://example.test/a) and <b>bold</b> <script>x</script>.",
        "",
        "- one item",
        "- second item with ![an image](x.png)",
        "  continued here",
        "1. a numbered item",
        "",
        "> A quoted paragraph, snake_case and 5 * 3 intact.",
        "",
        "---",
        "",
        "-- a paragraph starting with dashes",
      ].join("\n"),
    );
    expect(readingBlocks(reading)).toEqual([
      { kind: "heading", text: "The limits of US power" },
      {
        kind: "paragraph",
        number: 1,
        text: "First paragraph with a link to the source and bold x.",
      },
      {
        kind: "list",
        items: [
          { number: 2, text: "one item" },
          { number: 3, text: "second item with an image continued here" },
          { number: 4, text: "a numbered item" },
        ],
      },
      { kind: "paragraph", number: 5, text: "A quoted paragraph, snake_case and 5 * 3 intact." },
      { kind: "paragraph", number: 6, text: "-- a paragraph starting with dashes" },
    ]);
    expect(reading).not.toMatch(/<|>/);
  });

  it("reads the seeded essay as before: every block a numbered paragraph", () => {
    const text = readFileSync(new URL("../../server/seed/confrontation-in-the-caucasus.txt", import.meta.url), "utf8");
    const before = text
      .replace(/\r\n?/g, "\n")
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
      .filter((paragraph) => paragraph.length > 0);
    expect(splitParagraphs(ESSAY_PACK.readingText)).toEqual(before);
    expect(readingBlocks(ESSAY_PACK.readingText).every((block) => block.kind === "paragraph")).toBe(true);
  });
});
