/**
 * A reading is text whose blocks are separated by blank lines (decision 085). Most blocks are
 * paragraphs; the Markdown importer (server/classroom/reading-import.ts) also writes two kinds of structure:
 * a heading is a one-line block starting with "# ", a list is a block whose every line starts with
 * "- ". A paragraph that would start with "#", "-" or "\" is written with a leading "\".
 * Paragraphs and list items are numbered from 1, in order, and those numbers are what evidence
 * quotes and argument prompts cite; headings are not numbered. A plain-text reading (the seeded
 * essay) has no markers, so each of its blocks is a numbered paragraph, as before.
 */
export type ReadingBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; number: number; text: string }
  | { kind: "list"; items: { number: number; text: string }[] };

const HEADING = "# ";
const ITEM = "- ";
const ESCAPE = "\\";

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();

export function readingBlocks(text: string): ReadingBlock[] {
  const blocks: ReadingBlock[] = [];
  let number = 0;
  for (const raw of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const block = raw.trim();
    if (block === "") continue;
    const lines = block.split("\n").map((line) => line.trim());
    if (lines.length === 1 && block.startsWith(HEADING)) {
      blocks.push({ kind: "heading", text: block.slice(HEADING.length).trim() });
    } else if (lines.every((line) => line.startsWith(ITEM))) {
      blocks.push({ kind: "list", items: lines.map((line) => ({ number: ++number, text: line.slice(ITEM.length) })) });
    } else {
      const paragraph = oneLine(block);
      blocks.push({
        kind: "paragraph",
        number: ++number,
        text: paragraph.startsWith(ESCAPE) ? paragraph.slice(1) : paragraph,
      });
    }
  }
  return blocks;
}

/** The numbered units of a reading (paragraphs and list items), in order: index + 1 is the number. */
export function splitParagraphs(text: string): string[] {
  return readingBlocks(text).flatMap((block) =>
    block.kind === "heading" ? [] : block.kind === "paragraph" ? [block.text] : block.items.map((item) => item.text),
  );
}

/** How the importer writes each kind of block (the inverse of readingBlocks). */
export const ReadingMarkup = {
  heading: (text: string) => `${HEADING}${text}`,
  list: (items: string[]) => items.map((item) => `${ITEM}${item}`).join("\n"),
  paragraph: (text: string) => (/^[#\-\\]/.test(text) ? `${ESCAPE}${text}` : text),
};

/** The DOM id of a paragraph in the reading pane, so links can point at it. */
export function paragraphAnchor(paragraphNumber: number): string {
  return `para-${paragraphNumber}`;
}
