import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import * as decoding from "lib0/decoding";
import { useEffect, useState } from "react";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  type AccessNotice,
  CloseReason,
  FINAL_CLOSE_CODES,
  PAPER_FRAGMENT,
  PROTOCOL_PARAM,
  PROTOCOL_VERSION,
  YJS_PATH_PREFIX,
  YjsMessageType,
} from "../../shared/protocol";
import type { PaperView } from "../../shared/views";
import { AddArgumentButton } from "./paper/AddArgumentButton";
import { useOfferPaperEditor } from "./paper/active-paper";
import { PaperBlocks } from "./paper/paper-extensions";

interface Collaborator {
  name: string;
  color: string;
}

type Connection = { doc: Y.Doc; provider: WebsocketProvider };

function yjsServerUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${YJS_PATH_PREFIX.replace(/\/$/, "")}`;
}

interface PaperConnection {
  connection: Connection | null;
  refusal: string | null;
  /** The server's current rule for this connection; null until it has said. */
  notice: AccessNotice | null;
}

/** Opens the paper's Yjs document; created in an effect because it needs the browser. */
function usePaperConnection(docId: string): PaperConnection {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [notice, setNotice] = useState<AccessNotice | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(yjsServerUrl(), docId, doc, {
      params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION) },
    });
    provider.messageHandlers[YjsMessageType.access] = (_encoder, decoder) => {
      setNotice(JSON.parse(decoding.readVarString(decoder)) as AccessNotice);
    };
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
  return { connection, refusal, notice };
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
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: writable,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: connection.doc, field: PAPER_FRAGMENT }),
        CollaborationCaret.configure({ provider: connection.provider, user: me }),
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
    },
    [connection],
  );
  useEffect(() => {
    if (editor && editor.isEditable !== writable) editor.setEditable(writable);
  }, [editor, writable]);
  useOfferPaperEditor(editor, writable);
  return (
    <>
      <EditorContent editor={editor} />
      {writable ? <AddArgumentButton editor={editor} /> : null}
    </>
  );
}

export function PaperEditor({ paper, me }: { paper: PaperView; me: Collaborator }) {
  const { connection, refusal, notice } = usePaperConnection(paper.team.docId);
  const access = notice?.access ?? paper.access;
  const reason = notice ? notice.reason : paper.reason;
  return (
    <section className="paper" aria-labelledby={`paper-title-${paper.team.id}`}>
      <header className="paper-header" style={{ borderColor: paper.team.color }}>
        <h2 id={`paper-title-${paper.team.id}`}>
          <span className="side-swatch" style={{ background: paper.team.color }} aria-hidden="true" />
          {paper.team.name} position paper
        </h2>
        {access === "read" ? (
          <p className="access-note" role="note">
            Read-only{reason ? `: ${reason}` : ""}
          </p>
        ) : null}
      </header>
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
