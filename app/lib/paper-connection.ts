import { useEffect, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  type AccessNotice,
  CloseCode,
  CloseReason,
  FINAL_CLOSE_CODES,
  PROTOCOL_PARAM,
  PROTOCOL_VERSION,
  YJS_PATH_PREFIX,
  YjsMessageType,
} from "../../shared/wire/protocol";
import { decodeFrameOfType, encodeYjsFrame } from "../../shared/wire/yjs-codec";

export type Connection = { doc: Y.Doc; provider: WebsocketProvider };

export type SaveState =
  | { state: "connecting" }
  | { state: "saved" }
  | { state: "saving"; unsaved: number }
  | { state: "offline"; unsaved: number };

export interface PaperConnection {
  connection: Connection | null;
  /** Why the server refused this paper for good; the editor stops reconnecting. */
  refusal: string | null;
  /** The server's current rule for this connection; null until it has said. */
  notice: AccessNotice | null;
  save: SaveState;
  /** The last reason the server gave for refusing an edit, if any. */
  lastRefusedEdit: string | null;
  /** Why the server would not let the paper grow (it is full), until a later change is saved. */
  paperFull: string | null;
}

function yjsServerUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${YJS_PATH_PREFIX.replace(/\/$/, "")}`;
}

/** Local edits not yet confirmed, kept across reloads so an offline tab closed and reopened still says so. */
const unsavedKey = (docId: string) => `caucus.unsaved.${docId}`;

/**
 * Opens a paper: the Yjs document, its IndexedDB copy (edits survive going offline and closing
 * the tab) and the websocket to the server. Counts local edits until the server confirms they are
 * stored: after each edit the client sends a save marker, and the server echoes the marker once
 * every frame before it has been written to the database.
 */
export function usePaperConnection(docId: string): PaperConnection {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [notice, setNotice] = useState<AccessNotice | null>(null);
  const [save, setSave] = useState<SaveState>({ state: "connecting" });
  const [lastRefusedEdit, setLastRefusedEdit] = useState<string | null>(null);
  const [paperFull, setPaperFull] = useState<string | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`caucus-${docId}`, doc);
    const provider = new WebsocketProvider(yjsServerUrl(), docId, doc, {
      params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION) },
    });
    let localVersion = Number(window.localStorage.getItem(unsavedKey(docId)) ?? 0) || 0;
    let savedVersion = 0;
    let connected = false;
    let everConnected = false;
    let refused = false;

    const publish = () => {
      const unsaved = Math.max(0, localVersion - savedVersion);
      if (unsaved === 0) window.localStorage.removeItem(unsavedKey(docId));
      else window.localStorage.setItem(unsavedKey(docId), String(unsaved));
      if (!connected) setSave(everConnected || unsaved > 0 ? { state: "offline", unsaved } : { state: "connecting" });
      else setSave(unsaved === 0 ? { state: "saved" } : { state: "saving", unsaved });
    };
    const sendSaveCheck = () => {
      if (!provider.ws || !provider.wsconnected) return;
      provider.ws.send(encodeYjsFrame.saveCheck(localVersion));
    };

    // A malformed server frame is ignored rather than trusted (decoded with zod, never cast).
    provider.messageHandlers[YjsMessageType.access] = (_encoder, decoder, _provider, _synced, type) => {
      const frame = decodeFrameOfType(type, decoder, "access");
      if (frame) setNotice(frame.notice);
    };
    provider.messageHandlers[YjsMessageType.saved] = (_encoder, decoder, _provider, _synced, type) => {
      const frame = decodeFrameOfType(type, decoder, "saved");
      if (!frame) return;
      savedVersion = Math.max(savedVersion, frame.marker);
      if (savedVersion >= localVersion) setPaperFull(null);
      publish();
    };
    provider.messageHandlers[YjsMessageType.updateRefused] = (_encoder, decoder, _provider, _synced, type) => {
      const frame = decodeFrameOfType(type, decoder, "updateRefused");
      if (frame) setLastRefusedEdit(frame.reason);
    };
    // Registered after the provider's own listener, so the update frame is already on its way.
    doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || origin === local) return;
      localVersion++;
      publish();
      sendSaveCheck();
    });
    provider.on("status", ({ status }) => {
      connected = status === "connected";
      if (connected) everConnected = true;
      publish();
    });
    // After a (re)connection the client's missing edits went out as sync step 2; confirm them too.
    provider.on("sync", (isSynced: boolean) => {
      if (isSynced) sendSaveCheck();
    });
    provider.on("connection-close", (event) => {
      // A full paper is not final: the editor reconnects, and a change that deletes gets in.
      if (event?.code === CloseCode.documentTooLarge)
        setPaperFull(event.reason || CloseReason[CloseCode.documentTooLarge]);
      if (event && FINAL_CLOSE_CODES.has(event.code)) {
        refused = true;
        provider.disconnect();
        setRefusal(event.reason || CloseReason[event.code as keyof typeof CloseReason] || "Connection refused");
      }
    });
    const goOffline = () => provider.disconnect();
    const goOnline = () => {
      if (!refused) provider.connect();
    };
    const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
      if (localVersion > savedVersion) event.preventDefault();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    window.addEventListener("beforeunload", warnBeforeLeaving);

    setConnection({ doc, provider });
    setRefusal(null);
    publish();
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      window.removeEventListener("beforeunload", warnBeforeLeaving);
      provider.destroy();
      local.destroy();
      doc.destroy();
      setConnection(null);
    };
  }, [docId]);

  return { connection, refusal, notice, save, lastRefusedEdit, paperFull };
}

export function saveStateText(save: SaveState): string {
  switch (save.state) {
    case "connecting":
      return "Connecting…";
    case "saved":
      return "Saved";
    case "saving":
      return "Saving…";
    case "offline":
      return save.unsaved === 0
        ? "Offline — all changes saved"
        : "Offline — your last changes are kept on this device and will be saved when you reconnect";
  }
}
