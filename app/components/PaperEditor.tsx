import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useState } from "react";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CloseReason, FINAL_CLOSE_CODES, PAPER_FRAGMENT, YJS_PATH_PREFIX } from "../../shared/protocol";
import type { PaperView } from "../../shared/views";

interface Collaborator {
  name: string;
  color: string;
}

type Connection = { doc: Y.Doc; provider: WebsocketProvider };

function yjsServerUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${YJS_PATH_PREFIX.replace(/\/$/, "")}`;
}

/** Opens the paper's Yjs document; created in an effect because it needs the browser. */
function usePaperConnection(docId: string): { connection: Connection | null; refusal: string | null } {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(yjsServerUrl(), docId, doc);
    provider.on("connection-close", (event) => {
      if (event && FINAL_CLOSE_CODES.has(event.code)) {
        provider.disconnect();
        setRefusal(event.reason || CloseReason[event.code as keyof typeof CloseReason] || "Connection refused");
      }
    });
    setConnection({ doc, provider });
    setRefusal(null);
    return () => {
      provider.destroy();
      doc.destroy();
      setConnection(null);
    };
  }, [docId]);
  return { connection, refusal };
}

function CollaborativeEditor({
  paper,
  connection,
  me,
}: {
  paper: PaperView;
  connection: Connection;
  me: Collaborator;
}) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: paper.access === "write",
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: connection.doc, field: PAPER_FRAGMENT }),
        CollaborationCaret.configure({ provider: connection.provider, user: me }),
      ],
      editorProps: {
        attributes: {
          "aria-label": `${paper.team.name} position paper`,
          "aria-multiline": "true",
          role: "textbox",
          class: "paper-body",
        },
      },
    },
    [connection],
  );
  return <EditorContent editor={editor} />;
}

export function PaperEditor({ paper, me }: { paper: PaperView; me: Collaborator }) {
  const { connection, refusal } = usePaperConnection(paper.team.docId);
  return (
    <section className="paper" aria-labelledby={`paper-title-${paper.team.id}`}>
      <header className="paper-header" style={{ borderColor: paper.team.color }}>
        <h2 id={`paper-title-${paper.team.id}`}>
          <span className="side-swatch" style={{ background: paper.team.color }} aria-hidden="true" />
          {paper.team.name} position paper
        </h2>
        {paper.access === "read" ? <p className="access-note">Read-only</p> : null}
      </header>
      {refusal ? (
        <p role="alert" className="error">
          {refusal}
        </p>
      ) : connection ? (
        <CollaborativeEditor paper={paper} connection={connection} me={me} />
      ) : (
        <p className="loading">Opening the paper…</p>
      )}
    </section>
  );
}
