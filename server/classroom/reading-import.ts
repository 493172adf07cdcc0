import { ReadingMarkup } from "../../shared/classroom/reading";

/**
 * Turns an instructor's reading (plain text or Markdown) into the reading text of shared/classroom/reading.ts:
 * headings stay headings (not numbered), list items stay separate items, links and images keep
 * their text, and no HTML survives (the page renders the result as text nodes, so nothing pasted
 * can run or style itself).
 *
 * Hand-written and linear, line by line, on purpose: the Markdown libraries measured (marked
 * 16.4, micromark) take seconds to minutes, or overflow the stack, on 200,000 characters of
 * hostile input, and sign-up is open to anyone (decision 085). Every pattern here is anchored or
 * bounded by a delimiter it cannot contain, and its alternatives never start with the same
 * character (a link target may hold one level of parentheses), so no input makes it backtrack
 * more than once over what it scanned.
 */

const MARKER = /[*_~]+/g;
const SPACE = /\s/;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const isSpace = (character: string | undefined) => character === undefined || SPACE.test(character);
const isPunctuation = (character: string | undefined) =>
  character !== undefined && PUNCTUATION.test(character) && !"*_~".includes(character);

/**
 * Drops runs of emphasis markers ("*", "_", "~") that open or close a span: a run touching a word on
 * one side and a space or punctuation on the other. Markers inside a word (snake_case) or between
 * spaces ("5 * 3") stay. One pass over the runs; the text between them is copied in slices.
 */
function withoutEmphasis(text: string): string {
  let result = "";
  let copied = 0;
  for (const run of text.matchAll(MARKER)) {
    const start = run.index;
    const end = start + run[0].length;
    const before = text[start - 1];
    const after = text[end];
    const opens = (isSpace(before) || isPunctuation(before)) && !isSpace(after);
    const closes = !isSpace(before) && (isSpace(after) || isPunctuation(after));
    if (opens || closes) {
      result += text.slice(copied, start);
      copied = end;
    }
  }
  return result + text.slice(copied);
}

/** Removes `<!-- … -->` comments with indexOf, so an unterminated one costs one scan. */
function withoutComments(text: string): string {
  let result = "";
  let from = 0;
  for (;;) {
    const start = text.indexOf("<!--", from);
    if (start < 0) return result + text.slice(from);
    result += text.slice(from, start);
    const end = text.indexOf("-->", start + 4);
    if (end < 0) return result;
    from = end + 3;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntity(_match: string, name: string): string {
  if (name.startsWith("#")) {
    const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  }
  return ENTITIES[name.toLowerCase()] ?? `&${name};`;
}

const INLINE_SYNTAX = /[<[\]!`\\&*_~]/;

/** A line's words without inline Markdown or HTML. */
function inlineText(text: string): string {
  if (!INLINE_SYNTAX.test(text)) return text.replace(/\s+/g, " ").trim();
  return withoutEmphasis(
    withoutComments(text)
      .replace(/<(https?:\/\/[^<>\s]*)>/g, "$1")
      .replace(/<[^<>]*>/g, "")
      .replace(/!\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, "$1")
      .replace(/\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, "$1")
      .replace(/\[([^[\]]*)\]\[[^[\]]*\]/g, "$1")
      .replace(/`+/g, ""),
  )
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, decodeEntity)
    .replace(/\s+/g, " ")
    .trim();
}

/** The heading's text, or null: up to three spaces, one to six "#", then a space or the end. */
function headingText(line: string): string | null {
  const opening = /^ {0,3}#{1,6}(?:[ \t]|$)/.exec(line);
  if (!opening) return null;
  let end = line.length;
  while (end > opening[0].length && /[\s#]/.test(line[end - 1]!)) end--;
  return line.slice(opening[0].length, end);
}

/** How many leading characters are blockquote markers ("> > "), counted in one pass. */
function quotePrefixLength(line: string): number {
  let index = 0;
  for (;;) {
    let at = index;
    while (at < index + 3 && line[at] === " ") at++;
    if (line[at] !== ">") return index;
    index = line[at + 1] === " " ? at + 2 : at + 1;
  }
}

/** A thematic break: three or more of one of "-", "*", "_", spaces allowed between; stops at the first other character. */
function isRule(line: string): boolean {
  let marker = "";
  let count = 0;
  for (const character of line) {
    if (character === " " || character === "\t") continue;
    if (marker === "" && "-*_".includes(character)) marker = character;
    if (character !== marker) return false;
    count++;
  }
  return count >= 3;
}
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+/;
const FENCE = /^ {0,3}(?:`{3,}|~{3,})/;

export function readingFromMarkdown(source: string): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  let inFence = false;

  const endParagraph = () => {
    const text = inFence ? paragraph.join(" ").replace(/\s+/g, " ").trim() : inlineText(paragraph.join(" "));
    if (text) blocks.push(ReadingMarkup.paragraph(text));
    paragraph = [];
  };
  const endList = () => {
    const kept = items.map(inlineText).filter(Boolean);
    if (kept.length > 0) blocks.push(ReadingMarkup.list(kept));
    items = [];
  };
  const endBlocks = () => {
    endParagraph();
    endList();
  };

  for (const rawLine of source.replace(/\r\n?/g, "\n").split("\n")) {
    if (FENCE.test(rawLine)) {
      endBlocks();
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      if (rawLine.trim() === "") endParagraph();
      else paragraph.push(rawLine);
      continue;
    }
    const line = rawLine.slice(quotePrefixLength(rawLine));
    if (line.trim() === "") {
      endBlocks();
      continue;
    }
    const heading = headingText(line);
    if (heading !== null) {
      endBlocks();
      const text = inlineText(heading);
      if (text) blocks.push(ReadingMarkup.heading(text));
      continue;
    }
    if (isRule(line)) {
      endBlocks();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      endParagraph();
      items.push(line.slice(item[0].length));
      continue;
    }
    // An indented line right after a list item continues that item.
    if (items.length > 0 && paragraph.length === 0 && /^[ \t]/.test(line)) {
      items[items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    endList();
    paragraph.push(line.trim());
  }
  endBlocks();
  return blocks.join("\n\n");
}
