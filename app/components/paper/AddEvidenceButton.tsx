import { type RefObject, useEffect, useState } from "react";
import { useActivePaperEditor } from "./active-paper";
import type { EvidencePlacement, Passage } from "./evidence";
import { insertEvidenceQuote } from "./paper-commands.client";

const WORD_CHARACTER = /[\p{L}\p{N}'’]/u;

/** A quote should not start or end in the middle of a word, however the mouse was dragged. */
function wholeWords(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from > 0 && WORD_CHARACTER.test(text[from - 1]!) && WORD_CHARACTER.test(text[from]!)) from--;
  while (to < text.length && WORD_CHARACTER.test(text[to - 1]!) && WORD_CHARACTER.test(text[to]!)) to++;
  return text.slice(from, to);
}

/**
 * The passage selected in the reading's paragraph list, or null unless the selection holds text
 * of exactly one paragraph. A triple click also catches the start of the next paragraph; that
 * empty overlap does not count, so the click still quotes one paragraph.
 */
function selectedPassage(list: HTMLElement): Passage | null {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!list.contains(range.startContainer) || !list.contains(range.endContainer)) return null;
  let found: Passage | null = null;
  for (const item of list.querySelectorAll<HTMLLIElement>(":scope > li")) {
    const paragraph = item.querySelector("p");
    if (!paragraph || !range.intersectsNode(paragraph)) continue;
    const part = document.createRange();
    part.selectNodeContents(paragraph);
    if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0)
      part.setStart(range.startContainer, range.startOffset);
    if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) part.setEnd(range.endContainer, range.endOffset);
    const before = document.createRange();
    before.setStart(paragraph, 0);
    before.setEnd(part.startContainer, part.startOffset);
    const start = before.toString().length;
    const text = wholeWords(paragraph.textContent ?? "", start, start + part.toString().length)
      .replace(/\s+/g, " ")
      .trim();
    if (!text) continue;
    if (found) return null;
    found = { text, paragraph: item.value };
  }
  return found;
}

function useSelectedPassage(list: RefObject<HTMLElement>): Passage | null {
  const [passage, setPassage] = useState<Passage | null>(null);
  useEffect(() => {
    const update = () => setPassage(list.current ? selectedPassage(list.current) : null);
    document.addEventListener("selectionchange", update);
    return () => document.removeEventListener("selectionchange", update);
  }, [list]);
  return passage;
}

function describePlacement(passage: Passage, placement: EvidencePlacement): string {
  const where = "inArgument" in placement ? `the evidence of argument ${placement.inArgument}` : "the end of the paper";
  return `Added ¶${passage.paragraph} to ${where}.`;
}

export function AddEvidenceButton({ paragraphList }: { paragraphList: RefObject<HTMLElement> }) {
  const editor = useActivePaperEditor();
  const passage = useSelectedPassage(paragraphList);
  const selectionKey = passage ? `${passage.paragraph}:${passage.text}` : "";
  const [added, setAdded] = useState<{ selectionKey: string; message: string } | null>(null);
  // What was added is news only until the student selects something else.
  const announcement = added?.selectionKey === selectionKey ? added.message : "";
  const hint = !editor
    ? "Evidence goes into your paper while it is open for writing."
    : passage
      ? `¶${passage.paragraph} selected.`
      : "Select a passage in one paragraph.";
  return (
    <div className="evidence-bar">
      <button
        type="button"
        disabled={!editor || !passage}
        // Keeps the reading's selection and focus where they are when the button is clicked.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          if (!editor || !passage) return;
          setAdded({ selectionKey, message: describePlacement(passage, insertEvidenceQuote(editor, passage)) });
        }}
      >
        Add as evidence
      </button>
      <div className="evidence-messages">
        {announcement ? null : <p className="evidence-hint">{hint}</p>}
        <p className="evidence-announcement" aria-live="polite">
          {announcement}
        </p>
      </div>
    </div>
  );
}
