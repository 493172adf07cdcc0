// @vitest-environment happy-dom
import { Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import { NodeSelection, TextSelection } from "@tiptap/pm/state";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { insertEvidenceQuote } from "../../app/components/paper/evidence";
import { addArgument, PaperBlocks } from "../../app/components/paper/paper-extensions";
import { PAPER_KIT } from "../../app/components/paper/paper-kit";
import { paperBlocks } from "../../server/judging/paper-blocks";
import { scaffoldUpdate } from "../../server/papers/scaffold";
import type { SidePack } from "../../server/seed/essay-pack";
import { ArgumentAttribute, EvidenceQuoteAttribute, PaperNode } from "../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";

/** Shaped like a side of the essay pack, which reads its file through a URL that happy-dom replaces. */
const SIDE: SidePack = {
  name: "Realpolitik",
  description: "Power first.",
  color: "#1d4ed8",
  thesisPrompt: "State your thesis.",
  arguments: [
    { heading: "The limits of US influence", prompt: "What could the US not do?", paragraphs: [5, 3] },
    { heading: "Credibility", prompt: "Why do guarantees matter?", paragraphs: [2] },
    { heading: "Spheres of influence", prompt: "What after unipolarity?", paragraphs: [9, 10] },
  ],
};

const editors: Editor[] = [];

afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy();
});

function scaffoldedDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, scaffoldUpdate(SIDE));
  return doc;
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function editorOn(doc: Y.Doc): Editor {
  const editor = new Editor({
    element: document.createElement("div"),
    extensions: [...PAPER_KIT, Collaboration.configure({ document: doc, field: PAPER_FRAGMENT }), PaperBlocks],
  });
  editors.push(editor);
  return editor;
}

/** Exchanges what each document has and the other lacks, as two clients meeting a server would. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

interface Located {
  id: string;
  pos: number;
  text: string;
}

function argumentsOf(editor: Editor): Located[] {
  const found: Located[] = [];
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name !== PaperNode.argument) return true;
    found.push({ id: node.attrs[ArgumentAttribute.id], pos, text: node.textContent });
    return false;
  });
  return found;
}

const idsOf = (editor: Editor) => argumentsOf(editor).map((argument) => argument.id);

function idsInYjs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(PAPER_FRAGMENT)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === PaperNode.argument)
    .map((element) => element.getAttribute(ArgumentAttribute.id) as string);
}

/** Position of the start of the first textblock of the given part of the n-th argument. */
function partStart(editor: Editor, argumentIndex: number, part: string): number {
  const argument = argumentsOf(editor)[argumentIndex]!;
  let found = -1;
  editor.state.doc.nodeAt(argument.pos)!.forEach((child, offset) => {
    if (child.type.name === part) found = argument.pos + 1 + offset + 1;
  });
  return part === PaperNode.claim ? found : found + 1;
}

function typeAt(editor: Editor, pos: number, text: string): void {
  editor.chain().setTextSelection(pos).insertContent(text).run();
}

function quotesOf(editor: Editor): { text: string; paragraph: number; argument: string | null }[] {
  const quotes: { text: string; paragraph: number; argument: string | null }[] = [];
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name !== PaperNode.evidenceQuote) return true;
    const $pos = editor.state.doc.resolve(pos);
    const argument = $pos.depth >= 2 ? $pos.node($pos.depth - 1) : null;
    quotes.push({
      text: node.attrs[EvidenceQuoteAttribute.text],
      paragraph: node.attrs[EvidenceQuoteAttribute.paragraph],
      argument: argument?.type.name === PaperNode.argument ? argument.attrs[ArgumentAttribute.id] : null,
    });
    return false;
  });
  return quotes;
}

describe("the server's scaffold in the editor", () => {
  it("loads as a thesis and one argument block per prompt, with the server's ids", () => {
    const doc = scaffoldedDoc();
    const serverIds = idsInYjs(doc);
    const editor = editorOn(doc);
    expect(serverIds).toHaveLength(3);
    expect(new Set(serverIds).size).toBe(3);
    expect(idsOf(editor)).toEqual(serverIds);
    const thesis = editor.state.doc.firstChild!;
    expect(thesis.type.name).toBe(PaperNode.thesis);
    expect(thesis.attrs).toEqual({ title: "Thesis", prompt: "State your thesis." });
    expect(thesis.textContent).toBe("");
    const first = editor.state.doc.nodeAt(argumentsOf(editor)[0]!.pos)!;
    expect(first.attrs[ArgumentAttribute.title]).toBe("The limits of US influence");
    expect(first.attrs[ArgumentAttribute.sourceParagraphs]).toBe("5,3");
    expect(idsInYjs(doc)).toEqual(serverIds);
  });
});

describe("the thesis", () => {
  it("keeps its heading and prompt out of the text: typing and Ctrl+Home write into its paragraph, the server reads heading and text", () => {
    const doc = scaffoldedDoc();
    const editor = editorOn(doc);
    editor.commands.focus("start");
    editor.commands.insertContent("Interests first.");
    const thesis = editor.state.doc.firstChild!;
    expect(thesis.type.name).toBe(PaperNode.thesis);
    expect(thesis.attrs).toEqual({ title: "Thesis", prompt: "State your thesis." });
    expect(thesis.textContent).toBe("Interests first.");
    expect(argumentsOf(editor)).toHaveLength(3);
    expect(paperBlocks(Y.encodeStateAsUpdate(doc)).slice(0, 2)).toEqual([
      { kind: "heading", text: "Thesis" },
      { kind: "paragraph", text: "Interests first." },
    ]);
  });
});

describe("argument ids", () => {
  it("stay put through concurrent edits, splits and joins on two clients", () => {
    const docA = scaffoldedDoc();
    const docB = copyOf(docA);
    const amira = editorOn(docA);
    const ben = editorOn(docB);
    const original = idsOf(amira);

    typeAt(amira, partStart(amira, 0, PaperNode.claim), "Promises we cannot keep cost us.");
    typeAt(amira, partStart(amira, 0, PaperNode.reasoning), "Georgia believed us. It paid.");
    amira
      .chain()
      .setTextSelection(partStart(amira, 0, PaperNode.reasoning) + "Georgia believed us.".length)
      .splitBlock()
      .run();
    typeAt(ben, partStart(ben, 0, PaperNode.reasoning), "Words without force invite tests. ");
    typeAt(ben, partStart(ben, 1, PaperNode.reasoning), "Iraq troops bought no guarantee.");
    ben
      .chain()
      .setTextSelection(partStart(ben, 1, PaperNode.reasoning))
      .splitBlock()
      .joinBackward()
      .run();
    addArgument(ben);
    typeAt(ben, partStart(ben, 3, PaperNode.claim), "A fourth point.");
    amira
      .chain()
      .setTextSelection(partStart(amira, 2, PaperNode.claim))
      .run();
    insertEvidenceQuote(amira, { text: "The unipolar moment is over.", paragraph: 9 });

    sync(docA, docB);

    expect(idsOf(amira)).toEqual(idsOf(ben));
    expect(idsOf(amira).slice(0, 3)).toEqual(original);
    expect(new Set(idsOf(amira)).size).toBe(4);
    expect(amira.getJSON()).toEqual(ben.getJSON());
    const [first, second, third] = argumentsOf(ben);
    expect(first!.text).toContain("Promises we cannot keep cost us.");
    expect(first!.text).toContain("Words without force invite tests.");
    expect(second!.text).toContain("Iraq troops bought no guarantee.");
    expect(quotesOf(ben)).toEqual([{ text: "The unipolar moment is over.", paragraph: 9, argument: third!.id }]);
    expect(idsInYjs(docA)).toEqual(idsOf(amira));
  });

  it("give a pasted copy a new id and leave the original its own, wherever the copy lands", () => {
    const doc = scaffoldedDoc();
    const editor = editorOn(doc);
    const original = idsOf(editor);
    const first = argumentsOf(editor)[0]!;
    const slice = NodeSelection.create(editor.state.doc, first.pos).content();
    const { dom } = editor.view.serializeForClipboard(slice);

    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.view.pasteHTML(dom.innerHTML);
    editor.commands.setTextSelection(2);
    editor.view.pasteHTML(dom.innerHTML);

    const ids = idsOf(editor);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(ids.slice(1, 4)).toEqual(original);
    expect(idsInYjs(doc)).toEqual(ids);
  });

  it("keep their id when a block is cut and pasted elsewhere (a move)", () => {
    const editor = editorOn(scaffoldedDoc());
    const original = idsOf(editor);
    const first = argumentsOf(editor)[0]!;
    const slice = NodeSelection.create(editor.state.doc, first.pos).content();
    const { dom } = editor.view.serializeForClipboard(slice);
    editor.view.dispatch(
      editor.state.tr.setSelection(NodeSelection.create(editor.state.doc, first.pos)).deleteSelection(),
    );

    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.view.pasteHTML(dom.innerHTML);

    expect(idsOf(editor)).toEqual([original[1], original[2], original[0]]);
  });

  it("are unique after a duplicate pasted on one client reaches the other", () => {
    const docA = scaffoldedDoc();
    const docB = copyOf(docA);
    const amira = editorOn(docA);
    const ben = editorOn(docB);
    const duplicate = amira.state.doc.nodeAt(argumentsOf(amira)[1]!.pos)!.toJSON();
    ben.commands.insertContentAt(ben.state.doc.content.size, duplicate);
    typeAt(amira, partStart(amira, 1, PaperNode.claim), "Edited while Ben duplicated it.");

    sync(docA, docB);

    expect(idsOf(amira)).toEqual(idsOf(ben));
    expect(new Set(idsOf(amira)).size).toBe(4);
    expect(argumentsOf(amira)[1]!.text).toContain("Edited while Ben duplicated it.");
  });

  it("are given to blocks that arrive without one", () => {
    const editor = editorOn(scaffoldedDoc());
    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.view.pasteHTML(
      '<section data-type="argument"><div class="argument-parts">' +
        '<div data-type="argument-claim"><div class="argument-part-content">Pasted from elsewhere</div></div>' +
        "</div></section>",
    );
    const ids = idsOf(editor);
    expect(ids).toHaveLength(4);
    expect(ids[3]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(argumentsOf(editor)[3]!.text).toBe("Pasted from elsewhere");
  });
});

describe("Add argument", () => {
  it("adds a block with a fresh id after the last argument; Enter in the claim moves on to the reasoning", () => {
    const editor = editorOn(scaffoldedDoc());
    const before = idsOf(editor);
    addArgument(editor);
    editor.commands.insertContent("Our own point.");
    const enter = new KeyboardEvent("keydown", { key: "Enter" });
    editor.view.someProp("handleKeyDown", (handle) => handle(editor.view, enter));
    editor.commands.insertContent("Because it holds.");
    const ids = idsOf(editor);
    expect(ids.slice(0, 3)).toEqual(before);
    expect(new Set(ids).size).toBe(4);
    const { doc } = editor.state;
    expect(doc.child(doc.childCount - 2).type.name).toBe(PaperNode.argument);
    const added = doc.child(doc.childCount - 2);
    expect(added.child(0).textContent).toBe("Our own point.");
    expect(added.child(1).textContent).toBe("Because it holds.");
  });
});

describe("evidence quotes", () => {
  it("go into the evidence of the argument the caret was last in, in the order they are added", () => {
    const editor = editorOn(scaffoldedDoc());
    const second = argumentsOf(editor)[1]!.id;
    editor.commands.setTextSelection(partStart(editor, 1, PaperNode.claim));
    editor.commands.setTextSelection(2);

    expect(insertEvidenceQuote(editor, { text: "first", paragraph: 2 })).toEqual({ inArgument: 2 });
    expect(insertEvidenceQuote(editor, { text: "second", paragraph: 3 })).toEqual({ inArgument: 2 });

    expect(quotesOf(editor)).toEqual([
      { text: "first", paragraph: 2, argument: second },
      { text: "second", paragraph: 3, argument: second },
    ]);
    const evidence = editor.state.doc.nodeAt(argumentsOf(editor)[1]!.pos)!.lastChild!;
    expect(evidence.childCount).toBe(3);
    expect(evidence.lastChild?.type.name).toBe(PaperNode.paragraph);
    const { $from } = editor.state.selection;
    expect($from.parent).toBe(evidence.lastChild);
  });

  it("after a paragraph the student wrote, bring their own empty paragraph for the comment", () => {
    const editor = editorOn(scaffoldedDoc());
    const evidenceStart = partStart(editor, 0, PaperNode.evidence);
    typeAt(editor, evidenceStart, "As the essay puts it:");
    insertEvidenceQuote(editor, { text: "quoted", paragraph: 5 });
    const evidence = editor.state.doc.nodeAt(argumentsOf(editor)[0]!.pos)!.lastChild!;
    expect(evidence.toJSON().content.map((node: { type: string }) => node.type)).toEqual([
      PaperNode.paragraph,
      PaperNode.evidenceQuote,
      PaperNode.paragraph,
    ]);
    expect(editor.state.selection.$from.parent).toBe(evidence.lastChild);
  });

  it("go to the end of the paper when the caret has not been in an argument", () => {
    const editor = editorOn(scaffoldedDoc());
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, 2)));
    expect(insertEvidenceQuote(editor, { text: "orphan", paragraph: 1 })).toEqual({ atEnd: true });
    const { doc } = editor.state;
    expect(doc.child(doc.childCount - 2).type.name).toBe(PaperNode.evidenceQuote);
    expect(editor.getHTML()).toContain('<a href="#para-1">Reading ¶1</a>');
  });
});
