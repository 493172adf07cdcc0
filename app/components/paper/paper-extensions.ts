import { type Editor, Extension } from "@tiptap/core";
import { Placeholder } from "@tiptap/extensions";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { TextSelection } from "@tiptap/pm/state";
import { ArgumentAttribute, newArgumentId, PaperNode } from "../../../shared/papers/paper-schema";
import { Argument, ArgumentClaim, ArgumentEvidence, ArgumentReasoning, EvidenceQuote, Thesis } from "./argument-nodes";
import { EvidenceTarget } from "./evidence";
import { GuidanceCaret } from "./guidance";
import "./paper.css";

/**
 * Everything the paper needs beyond PAPER_KIT and collaboration. The placeholder plugin only
 * marks empty nodes (`is-empty`); paper.css writes the hint for each part.
 */
export const PaperBlocks = Extension.create({
  name: "paperBlocks",
  addExtensions() {
    return [
      Thesis,
      Argument,
      ArgumentClaim,
      ArgumentReasoning,
      ArgumentEvidence,
      EvidenceQuote,
      EvidenceTarget,
      GuidanceCaret,
      Placeholder.configure({ placeholder: "", includeChildren: true, showOnlyCurrent: false }),
    ];
  },
});

/** Right after the last argument block, so what follows the arguments stays last; else the end. */
function positionForNewArgument(doc: ProseMirrorNode): number {
  let pos = doc.content.size;
  doc.forEach((node, offset) => {
    if (node.type.name === PaperNode.argument) pos = offset + node.nodeSize;
  });
  return pos;
}

/** Adds an empty argument block after the others and puts the caret in its claim. */
export function addArgument(editor: Editor): void {
  const { state } = editor;
  const { schema } = state;
  const paragraph = () => schema.nodes[PaperNode.paragraph]!.create();
  const argument = schema.nodes[PaperNode.argument]!.create({ [ArgumentAttribute.id]: newArgumentId() }, [
    schema.nodes[PaperNode.claim]!.create(),
    schema.nodes[PaperNode.reasoning]!.create(null, paragraph()),
    schema.nodes[PaperNode.evidence]!.create(null, paragraph()),
  ]);
  const pos = positionForNewArgument(state.doc);
  const tr = state.tr.insert(pos, argument);
  tr.setSelection(TextSelection.create(tr.doc, pos + 2)).scrollIntoView();
  editor.view.dispatch(tr);
  editor.view.focus();
}
