/**
 * The names of a paper's structured nodes, shared by the server (which writes the scaffold
 * straight into Yjs), the editor (Tiptap node types, which y-tiptap uses as Y.XmlElement names)
 * and, later, judging (which scores argument blocks by their id). docs/protocol.md, "Paper
 * schema", describes the tree.
 */

export const PaperNode = {
  heading: "heading",
  thesis: "thesis",
  paragraph: "paragraph",
  argument: "argument",
  claim: "argumentClaim",
  reasoning: "argumentReasoning",
  evidence: "argumentEvidence",
  evidenceQuote: "evidenceQuote",
} as const;

export const ArgumentAttribute = {
  /** Stable and unique within a paper: judges' scores and comments point at it. */
  id: "id",
  /** Guidance from the scaffold, shown above the block and not editable; absent on blocks students add. */
  title: "title",
  prompt: "prompt",
  /** Reading paragraphs the prompt points at, comma-separated 1-based numbers, e.g. "5,3". */
  sourceParagraphs: "sourceParagraphs",
} as const;

/** The thesis block's guidance, written by the server; students write only its paragraphs. */
export const ThesisAttribute = {
  title: "title",
  prompt: "prompt",
} as const;

export const EvidenceQuoteAttribute = {
  /** The quoted passage, exactly as it stands in the reading (whitespace collapsed). */
  text: "text",
  /** The 1-based reading paragraph the passage comes from. */
  paragraph: "paragraph",
} as const;

/**
 * 128 random bits, base64url. getRandomValues rather than randomUUID because a classroom server
 * is often reached over plain http on the school network, where randomUUID does not exist.
 */
export function newArgumentId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function formatSourceParagraphs(paragraphs: readonly number[]): string {
  return paragraphs.join(",");
}

export function parseSourceParagraphs(value: string | null | undefined): number[] {
  if (!value) return [];
  return value
    .split(",")
    .map((part) => Number(part.trim()))
    .filter((number) => Number.isInteger(number) && number > 0);
}

/**
 * Every element a paper may hold (y-tiptap names a Y.XmlElement after its node type) and the
 * attributes each may carry: the paper nodes above and StarterKit's. The server refuses any other
 * element, attribute or shared type (docs/protocol.md, "Paper schema"), so nothing the editor
 * cannot show can fill a paper.
 */
export const PAPER_ELEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  [PaperNode.heading]: ["level"],
  [PaperNode.paragraph]: [],
  [PaperNode.thesis]: Object.values(ThesisAttribute),
  [PaperNode.argument]: Object.values(ArgumentAttribute),
  [PaperNode.claim]: [],
  [PaperNode.reasoning]: [],
  [PaperNode.evidence]: [],
  [PaperNode.evidenceQuote]: Object.values(EvidenceQuoteAttribute),
  blockquote: [],
  bulletList: [],
  orderedList: ["start", "type"],
  listItem: [],
  codeBlock: ["language"],
  horizontalRule: [],
  hardBreak: [],
};

/**
 * Text formatting y-tiptap stores on Y.XmlText: StarterKit's marks. A mark that may overlap
 * itself would be stored as `<name>--<hash>`; the prefix is what counts.
 */
export const PAPER_MARKS: ReadonlySet<string> = new Set(["bold", "italic", "strike", "underline", "code", "link"]);
