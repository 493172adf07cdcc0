import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  type AccessNotice,
  PAPER_FRAGMENT,
  PROTOCOL_PARAM,
  PROTOCOL_VERSION,
  YjsMessageType,
} from "../../shared/wire/protocol";
import { decodeFrameOfType, encodeYjsFrame } from "../../shared/wire/yjs-codec";

/**
 * A Node client that speaks the Caucus extensions the browser editor uses: access notices, save
 * markers and refused-update notices, on top of the stock y-websocket provider.
 */
export function caucusClient(wsUrl: string, docId: string, cookie: string) {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, docId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION) },
  });
  const state = {
    notice: null as AccessNotice | null,
    noticeAt: 0,
    savedMarker: 0,
    refusedUpdates: 0,
    closes: [] as { code: number; reason: string }[],
  };
  let marker = 0;
  const savedListeners = new Set<() => void>();

  provider.messageHandlers[YjsMessageType.access] = (_encoder, decoder, _provider, _synced, type) => {
    const frame = decodeFrameOfType(type, decoder, "access");
    if (!frame) throw new Error("The server sent a malformed access notice");
    state.notice = frame.notice;
    state.noticeAt = Date.now();
  };
  provider.messageHandlers[YjsMessageType.saved] = (_encoder, decoder, _provider, _synced, type) => {
    const frame = decodeFrameOfType(type, decoder, "saved");
    if (!frame) throw new Error("The server sent a malformed saved marker");
    state.savedMarker = Math.max(state.savedMarker, frame.marker);
    for (const listener of savedListeners) listener();
  };
  provider.messageHandlers[YjsMessageType.updateRefused] = (_encoder, decoder, _provider, _synced, type) => {
    if (!decodeFrameOfType(type, decoder, "updateRefused")) throw new Error("The server sent a malformed refusal");
    state.refusedUpdates++;
  };
  provider.on("connection-close", (event) => {
    if (event) state.closes.push({ code: event.code, reason: event.reason });
  });

  function sendSaveCheck(): number {
    marker++;
    provider.ws?.send(encodeYjsFrame.saveCheck(marker));
    return marker;
  }

  return {
    doc,
    provider,
    state,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve();
        const onSync = (isSynced: boolean) => {
          if (!isSynced) return;
          provider.off("sync", onSync);
          resolve();
        };
        provider.on("sync", onSync);
      }),
    /** Appends a paragraph; the update goes out at once (the provider sends on every change). */
    write(text: string): void {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
      fragment.insert(fragment.length, [paragraph]);
    },
    /** Sends a save marker and resolves when the server has stored everything sent before it. */
    saved(): Promise<number> {
      const awaited = sendSaveCheck();
      return new Promise((resolve) => {
        const check = () => {
          if (state.savedMarker < awaited) return;
          savedListeners.delete(check);
          resolve(awaited);
        };
        savedListeners.add(check);
      });
    },
    text: () => doc.getXmlFragment(PAPER_FRAGMENT).toString(),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
