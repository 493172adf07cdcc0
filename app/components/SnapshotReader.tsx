import Collaboration from "@tiptap/extension-collaboration";
import { useEffect, useState } from "react";
import * as Y from "yjs";
import type { SnapshotSummary } from "../../shared/rounds/views";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { PaperBlocks } from "./paper/paper-extensions";
import { PAPER_KIT } from "./paper/paper-kit";
import { useMountedEditor } from "./paper/use-mounted-editor";

function decodeBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

function ReadOnlyPaper({ doc, label }: { doc: Y.Doc; label: string }) {
  const { element } = useMountedEditor(doc, (snapshotDoc) => ({
    editable: false,
    extensions: [...PAPER_KIT, Collaboration.configure({ document: snapshotDoc, field: PAPER_FRAGMENT }), PaperBlocks],
    editorProps: {
      attributes: { "aria-label": label, "aria-readonly": "true", role: "textbox", class: "paper-body" },
    },
  }));
  return <div ref={element} />;
}

/** A stored snapshot rendered read-only: a local Yjs document that no server connection can change. */
export function SnapshotReader({ snapshot, stateBase64 }: { snapshot: SnapshotSummary; stateBase64: string }) {
  const [doc, setDoc] = useState<Y.Doc | null>(null);
  useEffect(() => {
    const local = new Y.Doc();
    Y.applyUpdate(local, decodeBase64(stateBase64));
    setDoc(local);
    return () => local.destroy();
  }, [stateBase64]);
  return (
    <section className="paper" aria-labelledby="snapshot-title">
      <header className="paper-header" style={{ borderColor: snapshot.team.color }}>
        <h2 id="snapshot-title">
          <span className="side-swatch" style={{ background: snapshot.team.color }} aria-hidden="true" />
          {snapshot.team.name} position paper
        </h2>
        <p className="access-note" role="note">
          Read-only: a snapshot never changes
        </p>
      </header>
      {doc ? <ReadOnlyPaper doc={doc} label={`${snapshot.team.name} paper snapshot`} /> : <p>Opening the snapshot…</p>}
    </section>
  );
}
