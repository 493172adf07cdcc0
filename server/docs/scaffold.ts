import * as Y from "yjs";
import { ArgumentAttribute, formatSourceParagraphs, newArgumentId, PaperNode } from "../../shared/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/protocol";
import type { ArgumentPrompt, SidePack } from "../seed/essay-pack";

/**
 * A team's paper starts as a Yjs update written by the server, so the scaffold is stored once,
 * before any client connects, and two students opening a new paper cannot insert it twice.
 * Element and attribute names are the editor's node types (shared/paper-schema.ts), as y-tiptap
 * maps them; the argument ids are made here, so every block has its id from the first byte on.
 */
function heading(text: string): Y.XmlElement {
  const element = new Y.XmlElement(PaperNode.heading);
  element.setAttribute("level", 2 as unknown as string);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function promptParagraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement(PaperNode.paragraph);
  const content = new Y.XmlText();
  content.insert(0, text, { italic: {} });
  element.insert(0, [content]);
  return element;
}

function element(name: string, children: Y.XmlElement[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
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
    heading("Thesis"),
    promptParagraph(side.thesisPrompt),
    element(PaperNode.paragraph),
    ...side.arguments.map(argumentBlock),
    // Room for a conclusion; also what the editor's trailing-paragraph rule would otherwise
    // add on every client at once.
    element(PaperNode.paragraph),
  ]);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
