import type { Editor } from "@tiptap/core";
import { appendArgument } from "./paper-extensions";

export function AddArgumentButton({ editor }: { editor: Editor | null }) {
  return (
    <button type="button" className="add-argument" disabled={!editor} onClick={() => editor && appendArgument(editor)}>
      Add argument
    </button>
  );
}
