import { type Editor, Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode, ResolvedPos } from "@tiptap/pm/model";
import { type EditorState, Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import { ArgumentAttribute, EvidenceQuoteAttribute, PaperNode } from "../../../shared/papers/paper-schema";

/** A passage chosen in the reading pane. */
export interface Passage {
  text: string;
  paragraph: number;
}

/** Where a quote went, for the sentence that tells the student. */
export type EvidencePlacement = { inArgument: number } | { atEnd: true };

function argumentIdAround($pos: ResolvedPos): string | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type.name === PaperNode.argument) return node.attrs[ArgumentAttribute.id] ?? null;
  }
  return null;
}

/**
 * Remembers the argument block the caret was last in, by id, so that a quote added while the
 * student's focus is in the reading pane still lands in the block they were writing, even after
 * teammates' edits have moved it.
 */
const lastArgumentKey = new PluginKey<string | null>("lastArgument");

export const EvidenceTarget = Extension.create({
  name: "evidenceTarget",
  addProseMirrorPlugins() {
    return [
      new Plugin<string | null>({
        key: lastArgumentKey,
        state: {
          init: (_config, state) => argumentIdAround(state.selection.$from),
          apply: (_tr, last, _oldState, newState) => argumentIdAround(newState.selection.$from) ?? last,
        },
      }),
    ];
  },
});

interface LocatedArgument {
  node: ProseMirrorNode;
  pos: number;
  index: number;
}

function findArgument(doc: ProseMirrorNode, id: string): LocatedArgument | null {
  let found: LocatedArgument | null = null;
  let index = 0;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name !== PaperNode.argument) return !node.isTextblock;
    index += 1;
    if (node.attrs[ArgumentAttribute.id] === id) found = { node, pos, index };
    return false;
  });
  return found;
}

const isEmptyParagraph = (node: ProseMirrorNode | null | undefined) =>
  node?.type.name === PaperNode.paragraph && node.content.size === 0;

/**
 * Inside the evidence part. With the caret there: before the empty paragraph it is in, else after
 * its block (or the selected quote), so successive quotes keep their order. Otherwise at the end,
 * before a trailing empty paragraph.
 */
function positionInEvidence(state: EditorState, argument: LocatedArgument): number {
  let evidencePos = argument.pos + 1;
  argument.node.forEach((child, offset) => {
    if (child.type.name === PaperNode.evidence) evidencePos = argument.pos + 1 + offset;
  });
  const evidence = state.doc.nodeAt(evidencePos)!;
  const { selection } = state;
  const { $from } = selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.before(depth) !== evidencePos) continue;
    if (depth === $from.depth) return selection.to;
    return isEmptyParagraph($from.node(depth + 1)) ? $from.before(depth + 1) : $from.after(depth + 1);
  }
  const end = evidencePos + 1 + evidence.content.size;
  return isEmptyParagraph(evidence.lastChild) ? end - evidence.lastChild!.nodeSize : end;
}

/**
 * Puts the passage into the evidence of the argument block the caret is in or was last in, else
 * at the end of the paper. The caret goes to an empty paragraph right after the quote (made if
 * there is none), where the student says what it shows and where the next quote goes before.
 * The caret is not left on the quote itself: typing over a selected atom would replace it.
 */
export function insertEvidenceQuote(editor: Editor, passage: Passage): EvidencePlacement {
  const { state } = editor;
  const { schema } = state;
  const lastId = lastArgumentKey.getState(state);
  const argument = lastId ? findArgument(state.doc, lastId) : null;
  const pos = argument ? positionInEvidence(state, argument) : state.doc.content.size;
  const quote = schema.nodes[PaperNode.evidenceQuote]!.create({
    [EvidenceQuoteAttribute.text]: passage.text,
    [EvidenceQuoteAttribute.paragraph]: passage.paragraph,
  });
  const followedByEmptyParagraph = isEmptyParagraph(state.doc.resolve(pos).nodeAfter);
  const tr = state.tr.insert(
    pos,
    followedByEmptyParagraph ? quote : [quote, schema.nodes[PaperNode.paragraph]!.create()],
  );
  tr.setSelection(TextSelection.create(tr.doc, pos + quote.nodeSize + 1));
  editor.view.dispatch(tr);
  (editor.view.nodeDOM(pos) as HTMLElement | null)?.scrollIntoView({ block: "nearest" });
  return argument ? { inArgument: argument.index } : { atEnd: true };
}
