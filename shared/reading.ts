/**
 * A reading is plain text whose paragraphs are separated by blank lines. Paragraph numbers
 * start at 1 and are what evidence quotes and argument prompts point at.
 */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter((paragraph) => paragraph.length > 0);
}

/** The DOM id of a paragraph in the reading pane, so links can point at it. */
export function paragraphAnchor(paragraphNumber: number): string {
  return `para-${paragraphNumber}`;
}
