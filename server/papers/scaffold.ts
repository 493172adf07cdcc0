import * as Y from "yjs";
import {
  ArgumentAttribute,
  formatSourceParagraphs,
  newArgumentId,
  PaperNode,
  ThesisAttribute,
} from "../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import type { ArgumentPrompt, SidePack } from "../seed/essay-pack";

/**
 * A team's paper starts as a Yjs update written by the server, so the scaffold is stored once,
 * before any client connects, and two students opening a new paper cannot insert it twice.
 * Element and attribute names are the editor's node types (shared/papers/paper-schema.ts), as y-tiptap
 * maps them; the argument ids are made here, so every block has its id from the first byte on.
 */
function element(name: string, children: Y.XmlElement[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
}

/** The thesis heading and its prompt are attributes (guidance, not editable) over one empty paragraph. */
function thesis(prompt: string): Y.XmlElement {
  const block = element(PaperNode.thesis, [element(PaperNode.paragraph)]);
  block.setAttribute(ThesisAttribute.title, "Thesis");
  block.setAttribute(ThesisAttribute.prompt, prompt);
  return block;
}

function argumentBlock(argument: ArgumentPrompt): Y.XmlElement {
  const block = element(PaperNode.argument, [
    element(PaperNode.claim),
    element(PaperNode.reasoning, [element(PaperNode.paragraph)]),
    element(PaperNode.evidence, [element(PaperNode.paragraph)]),
  ]);
  block.setAttribute(ArgumentAttribute.id, newArgumentId());
  block.setAttribute(ArgumentAttribute.title, argument.heading);
  block.setAttribute(ArgumentAttribute.prompt, argument.prompt);
  block.setAttribute(ArgumentAttribute.sourceParagraphs, formatSourceParagraphs(argument.paragraphs));
  return block;
}

export function scaffoldUpdate(side: SidePack): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [
    thesis(side.thesisPrompt),
    ...side.arguments.map(argumentBlock),
    // Room for a conclusion; also what the editor's trailing-paragraph rule would otherwise
    // add on every client at once.
    element(PaperNode.paragraph),
  ]);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
