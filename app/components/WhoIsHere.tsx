import type { Editor } from "@tiptap/core";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useState } from "react";
import * as Y from "yjs";
import { ArgumentAttribute, PaperNode, ThesisAttribute } from "../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import type { Connection } from "../lib/paper-connection";

interface Presence {
  clientId: number;
  name: string;
  color: string;
  isMe: boolean;
  /** The heading of the section where their caret is, when we can tell. */
  section: string | null;
}

interface AwarenessState {
  user?: { name?: string; color?: string };
  cursor?: { head?: unknown } | null;
}

/** The heading of the part of the paper that contains document position `position`. */
function sectionAt(editor: Editor, position: number): string | null {
  const doc = editor.state.doc;
  if (position < 0 || position > doc.content.size) return null;
  const index = doc.resolve(position).index(0);
  for (let child = Math.min(index, doc.childCount - 1); child >= 0; child--) {
    const node = doc.child(child);
    if (node.type.name === PaperNode.heading) return node.textContent || null;
    if (node.type.name === PaperNode.thesis) return node.attrs[ThesisAttribute.title] ?? null;
    if (child === index && node.type.name === PaperNode.argument) return node.attrs[ArgumentAttribute.title] ?? null;
  }
  return null;
}

function caretSection(connection: Connection, editor: Editor | null, state: AwarenessState): string | null {
  if (!editor || !state.cursor?.head) return null;
  const binding = ySyncPluginKey.getState(editor.state)?.binding;
  if (!binding) return null;
  const position = relativePositionToAbsolutePosition(
    connection.doc,
    connection.doc.getXmlFragment(PAPER_FRAGMENT),
    Y.createRelativePositionFromJSON(state.cursor.head),
    binding.mapping,
  );
  return position === null ? null : sectionAt(editor, position);
}

/** Teammates with the paper open, and where their caret is; names come from the server. */
export function WhoIsHere({ connection, editor }: { connection: Connection; editor: Editor | null }) {
  const [people, setPeople] = useState<Presence[]>([]);
  useEffect(() => {
    const { awareness } = connection.provider;
    const refresh = () => {
      const present: Presence[] = [];
      awareness.getStates().forEach((raw, clientId) => {
        const state = raw as AwarenessState;
        if (!state.user?.name) return;
        present.push({
          clientId,
          name: state.user.name,
          color: state.user.color ?? "#4b5563",
          isMe: clientId === connection.doc.clientID,
          section: caretSection(connection, editor, state),
        });
      });
      present.sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
      setPeople(present);
    };
    refresh();
    awareness.on("change", refresh);
    return () => awareness.off("change", refresh);
  }, [connection, editor]);

  if (people.length === 0) return null;
  return (
    <section className="who-is-here" aria-label="Who is here">
      <ul>
        {people.map((person) => (
          <li key={person.clientId}>
            <span className="presence-dot" style={{ background: person.color }} aria-hidden="true" />
            {person.name}
            {person.isMe ? " (you)" : ""}
            {person.section && !person.isMe ? <span className="presence-where"> · in {person.section}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
