import * as Y from "yjs";
import { PAPER_FRAGMENT } from "../../shared/protocol";
import type { SidePack } from "../seed/essay-pack";

/**
 * A team's paper starts as a Yjs update written by the server, so the scaffold is stored once,
 * before any client connects, and two students opening a new paper cannot insert it twice.
 * Element and attribute names follow Tiptap's schema as mapped by y-tiptap.
 */
function heading(text: string): Y.XmlElement {
  const element = new Y.XmlElement("heading");
  element.setAttribute("level", 2 as unknown as string);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function promptParagraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  const content = new Y.XmlText();
  content.insert(0, text, { italic: {} });
  element.insert(0, [content]);
  return element;
}

function emptyParagraph(): Y.XmlElement {
  return new Y.XmlElement("paragraph");
}

const paragraphRefs = (paragraphs: number[]) => paragraphs.map((number) => `¶${number}`).join(", ");

export function scaffoldUpdate(side: SidePack): Uint8Array {
  const doc = new Y.Doc();
  const blocks: Y.XmlElement[] = [heading("Thesis"), promptParagraph(side.thesisPrompt), emptyParagraph()];
  side.arguments.forEach((argument, index) => {
    blocks.push(
      heading(`Argument ${index + 1}: ${argument.heading}`),
      promptParagraph(`${argument.prompt} (Reading ${paragraphRefs(argument.paragraphs)})`),
      emptyParagraph(),
    );
  });
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, blocks);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
