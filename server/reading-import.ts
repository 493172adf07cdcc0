/**
 * Turns an instructor's reading (plain text or Markdown) into the plain text the reading pane numbers
 * by paragraph. Markdown is reduced to its words: no HTML survives, and the page renders the result
 * as text nodes, so nothing pasted can run or style itself.
 */
export function readingFromMarkdown(source: string): string {
  const withoutFences = source.replace(/\r\n?/g, "\n").replace(/^```.*$/gm, "");
  const blocks = withoutFences.split(/\n\s*\n/).map((block) =>
    block
      .split("\n")
      .map((line) =>
        line
          .replace(/^\s{0,3}#{1,6}\s+/, "")
          .replace(/^\s{0,3}>\s?/, "")
          .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
          .replace(/^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/, ""),
      )
      .join("\n"),
  );
  return blocks
    .map((block) =>
      block
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/<[^>]*>/g, "")
        .replace(/!\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, "$1")
        .replace(/\[([^\]]+)\]\((?:[^()]|\([^()]*\))*\)/g, "$1")
        .replace(/(\*\*|__)(.+?)\1/g, "$2")
        .replace(/(\*|_)(\S(?:.*?\S)?)\1/g, "$2")
        .replace(/`([^`]+)`/g, "$1")
        .trim(),
    )
    .filter((block) => block.length > 0)
    .join("\n\n");
}
