import { Editor, type EditorOptions } from "@tiptap/core";
import { type RefObject, useEffect, useRef, useState } from "react";

/**
 * A Tiptap editor for `owner` (a paper's connection, a snapshot's document) that lives as long as
 * the element it renders into: created after mount, so the server render and the first client
 * render show an empty element; destroyed on unmount or when `owner` changes. `optionsFor` is
 * read when the editor is created; later changes (editable) are the caller's to apply.
 * The component re-renders when the editor instance changes, not on each transaction: nothing
 * around the papers reads editor state while rendering. Stands in for @tiptap/react's
 * `useEditor` + `EditorContent` (decision 174): the papers have no React node views.
 */
export function useMountedEditor<Owner extends object>(
  owner: Owner,
  optionsFor: (owner: Owner) => Partial<EditorOptions>,
): { editor: Editor | null; element: RefObject<HTMLDivElement> } {
  const element = useRef<HTMLDivElement>(null);
  const latestOptionsFor = useRef(optionsFor);
  latestOptionsFor.current = optionsFor;
  const [editor, setEditor] = useState<Editor | null>(null);
  useEffect(() => {
    const created = new Editor({ ...latestOptionsFor.current(owner), element: element.current });
    setEditor(created);
    return () => created.destroy();
  }, [owner]);
  return { editor, element };
}
