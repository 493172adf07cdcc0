import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { useEffect } from "react";
import type { PaperView } from "../../shared/classroom/views";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { type Connection, saveStateText, usePaperConnection } from "../lib/paper-connection";
import { AddArgumentButton } from "./paper/AddArgumentButton";
import { useOfferPaperEditor } from "./paper/active-paper";
import { PaperBlocks } from "./paper/paper-extensions";
import { PAPER_KIT } from "./paper/paper-kit";
import { useMountedEditor } from "./paper/use-mounted-editor";
import { WhoIsHere } from "./WhoIsHere";

interface Collaborator {
  name: string;
  color: string;
}

function CollaborativeEditor({
  paper,
  connection,
  me,
  writable,
}: {
  paper: PaperView;
  connection: Connection;
  me: Collaborator;
  writable: boolean;
}) {
  const { editor, element } = useMountedEditor(connection, (opened) => ({
    editable: writable,
    extensions: [
      ...PAPER_KIT,
      Collaboration.configure({ document: opened.doc, field: PAPER_FRAGMENT }),
      CollaborationCaret.configure({ provider: opened.provider, user: me }),
      PaperBlocks,
    ],
    editorProps: {
      attributes: {
        "aria-label": `${paper.team.name} position paper`,
        "aria-multiline": "true",
        role: "textbox",
        class: "paper-body",
      },
    },
  }));
  useEffect(() => {
    if (editor && editor.isEditable !== writable) editor.setEditable(writable);
  }, [editor, writable]);
  useOfferPaperEditor(editor, writable);
  return (
    <>
      <WhoIsHere connection={connection} editor={editor} />
      <div ref={element} />
      {writable ? <AddArgumentButton editor={editor} /> : null}
    </>
  );
}

export function PaperEditor({ paper, me }: { paper: PaperView; me: Collaborator }) {
  const { connection, refusal, notice, save, lastRefusedEdit, paperFull } = usePaperConnection(paper.team.docId);
  const access = notice?.access ?? paper.access;
  const reason = notice ? notice.reason : paper.reason;
  return (
    <section className="paper" aria-labelledby={`paper-title-${paper.team.id}`}>
      <header className="paper-header" style={{ borderColor: paper.team.color }}>
        <h2 id={`paper-title-${paper.team.id}`}>
          <span className="side-swatch" style={{ background: paper.team.color }} aria-hidden="true" />
          {paper.team.name} position paper
        </h2>
        {access === "write" ? (
          <p role="status" className={`save-state save-${save.state}`}>
            {saveStateText(save)}
          </p>
        ) : null}
      </header>
      {access === "read" ? (
        <p className="access-note" role="note">
          Read-only{reason ? `: ${reason}` : ""}
        </p>
      ) : null}
      {lastRefusedEdit && access === "read" ? (
        <p className="error" role="alert">
          Your last change was not saved: {lastRefusedEdit}
        </p>
      ) : null}
      {paperFull && access === "write" ? (
        <p className="error" role="alert">
          {paperFull}
        </p>
      ) : null}
      {refusal ? (
        <p role="alert" className="error">
          {refusal}
        </p>
      ) : connection ? (
        <CollaborativeEditor paper={paper} connection={connection} me={me} writable={access === "write"} />
      ) : (
        <p className="loading">Opening the paper…</p>
      )}
    </section>
  );
}
