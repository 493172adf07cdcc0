import { type Editor, Extension } from "@tiptap/core";
import { Placeholder } from "@tiptap/extensions";
import { TextSelection } from "@tiptap/pm/state";
import { ArgumentAttribute, newArgumentId, PaperNode } from "../../../shared/paper-schema";
import { Argument, ArgumentClaim, ArgumentEvidence, ArgumentReasoning, EvidenceQuote } from "./argument-nodes";
import { EvidenceTarget } from "./evidence";
import "./paper.css";

/**
 * Everything the paper needs beyond StarterKit and collaboration. The placeholder plugin only
 * marks empty nodes (`is-empty`); paper.css writes the hint for each part.
 */
export const PaperBlocks = Extension.create({
  name: "paperBlocks",
  addExtensions() {
    return [
      Argument,
      ArgumentClaim,
      ArgumentReasoning,
      ArgumentEvidence,
      EvidenceQuote,
      EvidenceTarget,
      Placeholder.configure({ placeholder: "", includeChildren: true, showOnlyCurrent: false }),
    ];
  },
});

/** Appends an empty argument block to the paper and puts the caret in its claim. */
export function appendArgument(editor: Editor): void {
  const { state } = editor;
  const { schema } = state;
  const paragraph = () => schema.nodes[PaperNode.paragraph]!.create();
  const argument = schema.nodes[PaperNode.argument]!.create({ [ArgumentAttribute.id]: newArgumentId() }, [
    schema.nodes[PaperNode.claim]!.create(),
    schema.nodes[PaperNode.reasoning]!.create(null, paragraph()),
    schema.nodes[PaperNode.evidence]!.create(null, paragraph()),
  ]);
  const pos = state.doc.content.size;
  const tr = state.tr.insert(pos, argument);
  tr.setSelection(TextSelection.create(tr.doc, pos + 2)).scrollIntoView();
  editor.view.dispatch(tr);
  editor.view.focus();
}
