import { mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec, Node as ProseMirrorNode } from "@tiptap/pm/model";
import { paragraphAnchor } from "../../../shared/classroom/reading";
import {
  ArgumentAttribute,
  EvidenceQuoteAttribute,
  PaperNode,
  parseSourceParagraphs,
  ThesisAttribute,
} from "../../../shared/papers/paper-schema";
import { uniqueArgumentIds } from "./argument-ids";
import { GUIDANCE, GUIDED_CONTENT, guidedNodeView } from "./guidance";

/**
 * An argument block: claim, reasoning, evidence, in that order and exactly once each, so a judge
 * always finds the same three parts. Every part is isolating: Backspace and Delete stop at its
 * edge instead of pouring one part into the next.
 */

/** Each part shows its name in a label the caret cannot enter; only the content div is edited. */
function part(kind: string, label: string): DOMOutputSpec {
  return [
    "div",
    { class: `argument-part argument-${kind}`, "data-type": `argument-${kind}` },
    ["div", { class: "argument-part-label", ...GUIDANCE }, label],
    ["div", { class: "argument-part-content", ...GUIDED_CONTENT }, 0],
  ];
}

function partNodeView(kind: string, label: string) {
  return guidedNodeView(() => part(kind, label));
}

function partParseRule(kind: string) {
  return [{ tag: `div[data-type="argument-${kind}"]`, contentElement: ".argument-part-content" }];
}

function readingLink(paragraph: number): DOMOutputSpec {
  return ["a", { href: `#${paragraphAnchor(paragraph)}` }, `¶${paragraph}`];
}

function argumentSpec(node: ProseMirrorNode, attributes: Record<string, unknown>): DOMOutputSpec {
  const title: string | null = node.attrs[ArgumentAttribute.title];
  const prompt: string | null = node.attrs[ArgumentAttribute.prompt];
  const sources = parseSourceParagraphs(node.attrs[ArgumentAttribute.sourceParagraphs]);
  const guidance: DOMOutputSpec[] = [["h3", { class: "argument-title" }, title ?? ""]];
  if (prompt) {
    const links = sources.flatMap(
      (paragraph, index): Array<DOMOutputSpec | string> =>
        index === 0 ? [readingLink(paragraph)] : [", ", readingLink(paragraph)],
    );
    guidance.push(["p", { class: "argument-prompt" }, prompt, ...(links.length > 0 ? [" Read ", ...links] : [])]);
  }
  return [
    "section",
    mergeAttributes(attributes, { "data-type": "argument", class: "argument" }),
    ["div", { class: "argument-guidance", ...GUIDANCE }, ...guidance],
    ["div", { class: "argument-parts", ...GUIDED_CONTENT }, 0],
  ];
}

function thesisSpec(node: ProseMirrorNode, attributes: Record<string, unknown>): DOMOutputSpec {
  const title: string = node.attrs[ThesisAttribute.title] ?? "Thesis";
  const prompt: string | null = node.attrs[ThesisAttribute.prompt];
  return [
    "section",
    mergeAttributes(attributes, { "data-type": "thesis", class: "thesis" }),
    [
      "div",
      { class: "thesis-guidance", ...GUIDANCE },
      ["h2", { class: "thesis-title" }, title],
      ...(prompt ? [["p", { class: "thesis-prompt" }, prompt] as DOMOutputSpec] : []),
    ],
    ["div", { class: "thesis-content", ...GUIDED_CONTENT }, 0],
  ];
}

/**
 * The thesis: a heading and a prompt from the scaffold (attributes, not editable) above the
 * paragraphs the team writes. Isolating, so Backspace at its start cannot pull the heading in.
 */
export const Thesis = Node.create({
  name: PaperNode.thesis,
  group: "block",
  content: `${PaperNode.paragraph}+`,
  defining: true,
  isolating: true,
  selectable: false,
  addAttributes() {
    return {
      [ThesisAttribute.title]: {
        default: "Thesis",
        parseHTML: (element) => element.getAttribute("data-title"),
        renderHTML: (attributes) => ({ "data-title": attributes[ThesisAttribute.title] }),
      },
      [ThesisAttribute.prompt]: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-prompt"),
        renderHTML: (attributes) => ({ "data-prompt": attributes[ThesisAttribute.prompt] }),
      },
    };
  },
  parseHTML: () => [{ tag: 'section[data-type="thesis"]', contentElement: ".thesis-content" }],
  renderHTML: ({ node, HTMLAttributes }) => thesisSpec(node, HTMLAttributes),
  addNodeView: () => guidedNodeView(thesisSpec),
});

export const ArgumentClaim = Node.create({
  name: PaperNode.claim,
  content: "inline*",
  isolating: true,
  parseHTML: () => partParseRule("claim"),
  renderHTML: () => part("claim", "Claim"),
  addNodeView: () => partNodeView("claim", "Claim"),
  addKeyboardShortcuts() {
    return {
      // A claim is one sentence: Enter moves on to the reasoning, whose first paragraph starts
      // two positions after the claim ends (past the reasoning's and the paragraph's openings).
      Enter: ({ editor }) => {
        const { $from } = editor.state.selection;
        if ($from.parent.type.name !== PaperNode.claim) return false;
        return editor.commands.setTextSelection($from.after() + 2);
      },
    };
  },
});

export const ArgumentReasoning = Node.create({
  name: PaperNode.reasoning,
  content: `${PaperNode.paragraph}+`,
  isolating: true,
  parseHTML: () => partParseRule("reasoning"),
  renderHTML: () => part("reasoning", "Reasoning"),
  addNodeView: () => partNodeView("reasoning", "Reasoning"),
});

export const ArgumentEvidence = Node.create({
  name: PaperNode.evidence,
  content: `(${PaperNode.paragraph} | ${PaperNode.evidenceQuote})+`,
  isolating: true,
  parseHTML: () => partParseRule("evidence"),
  renderHTML: () => part("evidence", "Evidence"),
  addNodeView: () => partNodeView("evidence", "Evidence"),
});

export const Argument = Node.create({
  name: PaperNode.argument,
  group: "block",
  content: `${PaperNode.claim} ${PaperNode.reasoning} ${PaperNode.evidence}`,
  defining: true,
  isolating: true,
  // A click on the guidance would otherwise select the whole block, and the next key typed would
  // replace it. Blocks are still copied, cut and removed with an ordinary text selection.
  selectable: false,
  addAttributes() {
    return {
      [ArgumentAttribute.id]: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-argument-id"),
        renderHTML: (attributes) => ({ "data-argument-id": attributes[ArgumentAttribute.id] }),
      },
      [ArgumentAttribute.title]: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-title"),
        renderHTML: (attributes) => ({ "data-title": attributes[ArgumentAttribute.title] }),
      },
      [ArgumentAttribute.prompt]: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-prompt"),
        renderHTML: (attributes) => ({ "data-prompt": attributes[ArgumentAttribute.prompt] }),
      },
      [ArgumentAttribute.sourceParagraphs]: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-source-paragraphs"),
        renderHTML: (attributes) => ({ "data-source-paragraphs": attributes[ArgumentAttribute.sourceParagraphs] }),
      },
    };
  },
  parseHTML: () => [{ tag: 'section[data-type="argument"]', contentElement: ".argument-parts" }],
  renderHTML: ({ node, HTMLAttributes }) => argumentSpec(node, HTMLAttributes),
  addNodeView: () => guidedNodeView(argumentSpec),
  addProseMirrorPlugins() {
    return [uniqueArgumentIds(this.type)];
  },
});

/**
 * A passage of the reading, kept verbatim: an atom, so the words stay the essay's and a judge can
 * trust them; students write their own words around it. Its link scrolls the reading pane to the
 * paragraph, where `:target` highlights it.
 */
export const EvidenceQuote = Node.create({
  name: PaperNode.evidenceQuote,
  group: "block",
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      [EvidenceQuoteAttribute.text]: {
        default: "",
        parseHTML: (element) => element.querySelector(".evidence-quote-text")?.textContent ?? "",
        rendered: false,
      },
      [EvidenceQuoteAttribute.paragraph]: {
        default: null,
        parseHTML: (element) => {
          const paragraph = Number(element.getAttribute("data-paragraph"));
          return Number.isInteger(paragraph) && paragraph > 0 ? paragraph : null;
        },
        renderHTML: (attributes) => ({ "data-paragraph": attributes[EvidenceQuoteAttribute.paragraph] }),
      },
    };
  },
  parseHTML: () => [{ tag: 'blockquote[data-type="evidence-quote"]', priority: 60 }],
  renderHTML({ node, HTMLAttributes }) {
    const paragraph: number | null = node.attrs[EvidenceQuoteAttribute.paragraph];
    return [
      "blockquote",
      mergeAttributes(HTMLAttributes, { "data-type": "evidence-quote", class: "evidence-quote" }),
      ["p", { class: "evidence-quote-text" }, node.attrs[EvidenceQuoteAttribute.text]],
      [
        "footer",
        { class: "evidence-quote-source" },
        ...(paragraph
          ? [["a", { href: `#${paragraphAnchor(paragraph)}` }, `Reading ¶${paragraph}`] as DOMOutputSpec]
          : []),
      ],
    ];
  },
});
