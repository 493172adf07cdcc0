import type { Editor } from "@tiptap/core";
import { addArgument } from "./paper-commands.client";

export function AddArgumentButton({ editor }: { editor: Editor | null }) {
  return (
    <button type="button" className="add-argument" disabled={!editor} onClick={() => editor && addArgument(editor)}>
      Add argument
    </button>
  );
}
