import { describe, expect, it } from "vitest";
import { readingFromMarkdown } from "../../server/reading-import";
import { splitParagraphs } from "../../shared/reading";

describe("readingFromMarkdown", () => {
  it("keeps plain text paragraphs as they are", () => {
    expect(splitParagraphs(readingFromMarkdown("First line\ncontinues.\n\nSecond."))).toEqual([
      "First line continues.",
      "Second.",
    ]);
  });

  it("reduces Markdown to its words and drops every tag", () => {
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
    expect(splitParagraphs(readingFromMarkdown(source))).toEqual([
      "A heading",
      "Some bold, italic and code with a link and an image.",
      "alert(2)",
      "a quote",
      "one two",
    ]);
  });
});
