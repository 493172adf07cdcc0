import type { Editor } from "@tiptap/core";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/**
 * The reading pane and the paper are siblings in the debate room; this lets the reading pane's
 * "Add as evidence" reach the editor of the paper on screen, and only while it is writable.
 * Provided by the root layout, so a page that shows both needs no wiring of its own.
 */
interface ActivePaper {
  editor: Editor | null;
  setEditor: (editor: Editor | null) => void;
}

const ActivePaperContext = createContext<ActivePaper>({ editor: null, setEditor: () => {} });

export function ActivePaperProvider({ children }: { children: ReactNode }) {
  const [editor, setEditor] = useState<Editor | null>(null);
  return <ActivePaperContext.Provider value={{ editor, setEditor }}>{children}</ActivePaperContext.Provider>;
}

/** Offers the editor to the room while it is mounted and writable. */
export function useOfferPaperEditor(editor: Editor | null, writable: boolean): void {
  const { setEditor } = useContext(ActivePaperContext);
  useEffect(() => {
    if (!editor || !writable) return;
    setEditor(editor);
    return () => setEditor(null);
  }, [editor, writable, setEditor]);
}

export function useActivePaperEditor(): Editor | null {
  return useContext(ActivePaperContext).editor;
}
