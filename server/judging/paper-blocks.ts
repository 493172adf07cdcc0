import * as Y from "yjs";
import { ARGUMENT_ID_PATTERN, argumentKey } from "../../shared/judging/rules";
import type { PaperBlock } from "../../shared/judging/views";
import {
  ArgumentAttribute,
  EvidenceQuoteAttribute,
  PaperNode,
  ThesisAttribute,
} from "../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";

/** A block as the paper's Yjs state has it: every id, title and quote text is what some editor wrote. */
export type RawBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | {
      kind: "argument";
      id: string;
      /** The block's title attribute: trusted only when read from the server's scaffold. */
      titleAttribute: string;
      claim: string;
      reasoning: string[];
      evidence: { text: string; quoteOfParagraph: number | null }[];
    };

/** The plain text of an element, its paragraphs joined by spaces. */
function textOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText)
    return node
      .toDelta()
      .map((op: { insert?: unknown }) => (typeof op.insert === "string" ? op.insert : ""))
      .join("");
  return node
    .toArray()
    .map((child) => (child instanceof Y.XmlElement || child instanceof Y.XmlText ? textOf(child) : ""))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

function elementChildren(node: Y.XmlElement | Y.XmlFragment): Y.XmlElement[] {
  return node.toArray().filter((child): child is Y.XmlElement => child instanceof Y.XmlElement);
}

function argumentBlock(element: Y.XmlElement): RawBlock {
  const part = (name: string) => elementChildren(element).find((child) => child.nodeName === name);
  const reasoning = part(PaperNode.reasoning);
  const evidence = part(PaperNode.evidence);
  const claim = part(PaperNode.claim);
  return {
    kind: "argument",
    id: String(element.getAttribute(ArgumentAttribute.id) ?? ""),
    titleAttribute: String(element.getAttribute(ArgumentAttribute.title) ?? ""),
    claim: claim ? textOf(claim) : "",
    reasoning: reasoning ? elementChildren(reasoning).map(textOf).filter(Boolean) : [],
    evidence: evidence
      ? elementChildren(evidence)
          .map((child) =>
            child.nodeName === PaperNode.evidenceQuote
              ? {
                  text: String(child.getAttribute(EvidenceQuoteAttribute.text) ?? ""),
                  quoteOfParagraph: Number(child.getAttribute(EvidenceQuoteAttribute.paragraph)) || null,
                }
              : { text: textOf(child), quoteOfParagraph: null },
          )
          .filter((item) => item.text !== "")
      : [],
  };
}

/**
 * A paper's blocks from its Yjs state, walking the element names of shared/papers/paper-schema.ts.
 * Empty paragraphs are left out; an argument block always stays, even empty, since it is scored.
 */
export function paperBlocks(state: Uint8Array): RawBlock[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const blocks: RawBlock[] = [];
  for (const element of elementChildren(doc.getXmlFragment(PAPER_FRAGMENT))) {
    switch (element.nodeName) {
      case PaperNode.argument:
        blocks.push(argumentBlock(element));
        break;
      case PaperNode.thesis: {
        // The prompt is guidance for the team, not part of what they argue.
        blocks.push({ kind: "heading", text: String(element.getAttribute(ThesisAttribute.title) ?? "Thesis") });
        for (const paragraph of elementChildren(element)) {
          const text = textOf(paragraph);
          if (text) blocks.push({ kind: "paragraph", text });
        }
        break;
      }
      case PaperNode.heading: {
        const text = textOf(element);
        if (text) blocks.push({ kind: "heading", text });
        break;
      }
      default: {
        const text = textOf(element);
        if (text) blocks.push({ kind: "paragraph", text });
      }
    }
  }
  doc.destroy();
  return blocks;
}

/** Argument ids and headings of the scaffold the server wrote for a paper. */
export function scaffoldTitles(scaffold: Uint8Array | null): Map<string, string> {
  if (!scaffold) return new Map();
  return new Map(
    paperBlocks(scaffold).flatMap((block) => (block.kind === "argument" ? [[block.id, block.titleAttribute]] : [])),
  );
}

const collapsed = (text: string) => text.replace(/\s+/g, " ").trim();

export interface PaperToResolve {
  teamId: string;
  teamName: string;
  blocks: RawBlock[];
  /** scaffoldTitles of this team's paper. */
  scaffold: Map<string, string>;
}

/**
 * The blocks judges see, resolved against the server's own record: every argument is scored under
 * its team and id (argumentKey), titles come from the scaffold, and quotes are checked against the
 * reading. An id that is malformed, repeated within a paper, or taken from another team's scaffold
 * is not scored and is flagged; an id two papers share without a scaffold owner is flagged on both
 * and scored for each team separately, so nothing moves from one paper to the other (decision 080).
 */
export function resolvePapers(papers: PaperToResolve[], readingParagraphs: string[]): PaperBlock[][] {
  const papersWithId = new Map<string, Set<string>>();
  for (const paper of papers) {
    for (const block of paper.blocks) {
      if (block.kind !== "argument") continue;
      const teams = papersWithId.get(block.id) ?? new Set<string>();
      teams.add(paper.teamId);
      papersWithId.set(block.id, teams);
    }
  }
  const scaffoldOwner = new Map<string, PaperToResolve>();
  for (const paper of papers) for (const id of paper.scaffold.keys()) scaffoldOwner.set(id, paper);
  const matches = (text: string, paragraph: number | null) => {
    const source = paragraph === null ? undefined : readingParagraphs[paragraph - 1];
    return source !== undefined && collapsed(text) !== "" && collapsed(source).includes(collapsed(text));
  };

  return papers.map((paper) => {
    const seen = new Set<string>();
    return paper.blocks.map((block): PaperBlock => {
      if (block.kind !== "argument") return block;
      const owner = scaffoldOwner.get(block.id);
      const sharedWith = [...(papersWithId.get(block.id) ?? [])].filter((teamId) => teamId !== paper.teamId);
      const valid = ARGUMENT_ID_PATTERN.test(block.id);
      const repeated = seen.has(block.id);
      seen.add(block.id);
      const copied = owner !== undefined && owner !== paper;
      const others = papers.filter((other) => sharedWith.includes(other.teamId)).map((other) => other.teamName);
      const scored = valid && !repeated && !copied;
      const notice = !valid
        ? "This block has no valid id, so it is not scored."
        : repeated
          ? "This block repeats the id of an earlier block in this paper, so only the first is scored."
          : copied
            ? `This block carries the id of an argument in ${owner.teamName}'s paper, so it is not scored.`
            : others.length > 0 && owner === undefined
              ? `The same block id also appears in ${others.join(", ")}'s paper; scores here count for ${paper.teamName} only.`
              : null;
      return {
        kind: "argument",
        id: block.id,
        key: scored ? argumentKey(paper.teamId, block.id) : null,
        notice,
        title: paper.scaffold.get(block.id) ?? "",
        claim: block.claim,
        reasoning: block.reasoning,
        evidence: block.evidence.map((item) => ({
          ...item,
          matchesReading: item.quoteOfParagraph !== null && matches(item.text, item.quoteOfParagraph),
        })),
      };
    });
  });
}
