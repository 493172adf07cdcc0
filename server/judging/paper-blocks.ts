import * as Y from "yjs";
import type { PaperBlock } from "../../shared/judging-views";
import { ArgumentAttribute, EvidenceQuoteAttribute, PaperNode, ThesisAttribute } from "../../shared/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/protocol";

/** The plain text of an element, its paragraphs joined by spaces. */
function textOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) return node.toString().replace(/<[^>]*>/g, "");
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

function argumentBlock(element: Y.XmlElement): PaperBlock {
  const part = (name: string) => elementChildren(element).find((child) => child.nodeName === name);
  const reasoning = part(PaperNode.reasoning);
  const evidence = part(PaperNode.evidence);
  const claim = part(PaperNode.claim);
  return {
    kind: "argument",
    id: String(element.getAttribute(ArgumentAttribute.id) ?? ""),
    title: String(element.getAttribute(ArgumentAttribute.title) ?? ""),
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
 * A paper's blocks from its Yjs state, walking the element names of shared/paper-schema.ts, so
 * the server can list argument blocks (ids, titles) and pages can show them without an editor.
 * Empty paragraphs are left out; an argument block always stays, even empty, since it is scored.
 */
export function paperBlocks(state: Uint8Array): PaperBlock[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const blocks: PaperBlock[] = [];
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
