import WebSocket from "ws";
import * as Y from "yjs";
import { type AccessNotice, PAPER_FRAGMENT, PROTOCOL_PARAM, PROTOCOL_VERSION } from "../../shared/wire/protocol";
import { decodeYjsFrame, encodeYjsFrame } from "../../shared/wire/yjs-codec";

export type ProbeOutcome =
  | { kind: "closed"; code: number; reason: string }
  | { kind: "open"; notice: AccessNotice; editAnswer: "saved" | "refused" };

/** A Yjs update that adds one paragraph with `text`, built without knowing the document. */
export function paragraphUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph]);
  return Y.encodeStateAsUpdate(doc);
}

export const updateFrame = encodeYjsFrame.update;
export const saveCheckFrame = encodeYjsFrame.saveCheck;

/**
 * A raw client that ignores every UI rule: it opens a paper, reads the access notice, sends an edit
 * whatever it was told, and reports whether the server stored or refused it.
 */
export function probePaper(url: string, cookie: string | null, text: string): Promise<ProbeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}?${PROTOCOL_PARAM}=${PROTOCOL_VERSION}`, cookie ? { headers: { cookie } } : {});
    let notice: AccessNotice | null = null;
    let refused = false;
    socket.on("message", (data: Buffer) => {
      const decoded = decodeYjsFrame(new Uint8Array(data));
      if (!decoded.ok) throw new Error(`The server sent a malformed frame: ${decoded.error}`);
      switch (decoded.frame.type) {
        case "access":
          notice = decoded.frame.notice;
          socket.send(updateFrame(paragraphUpdate(text)));
          socket.send(saveCheckFrame(1));
          return;
        case "updateRefused":
          refused = true;
          return;
        case "saved":
          if (notice) resolve({ kind: "open", notice, editAnswer: refused ? "refused" : "saved" });
          socket.close();
          return;
        default:
          return;
      }
    });
    socket.on("close", (code, reason) => resolve({ kind: "closed", code, reason: reason.toString() }));
    socket.on("error", reject);
  });
}
