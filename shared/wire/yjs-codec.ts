/**
 * The one codec for every binary frame on `/yjs/<docId>` (docs/protocol.md, "Yjs documents"): the
 * server, the editor and the test clients encode and decode through it, so a frame has one shape
 * everywhere. Decoding never throws: a malformed frame comes back as a typed error.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { type AccessNotice, readAccessNotice, YjsMessageType } from "./protocol";

/** y-protocols' sync sub-messages (y-protocols/sync: messageYjsSyncStep1, …). */
export const SyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

/** y-protocols' only auth sub-message. */
const AUTH_PERMISSION_DENIED = 0;

/** One entry of an awareness update: a client id's presence state (null: the client left). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

export type YjsFrame =
  | { type: "syncStep1"; stateVector: Uint8Array }
  | { type: "syncStep2"; update: Uint8Array }
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; entries: AwarenessEntry[] }
  | { type: "auth"; permissionDenied: string }
  | { type: "queryAwareness" }
  | { type: "access"; notice: AccessNotice }
  | { type: "saveCheck"; marker: number }
  | { type: "saved"; marker: number }
  | { type: "updateRefused"; reason: string };

export type YjsFrameType = YjsFrame["type"];

export type DecodeResult = { ok: true; frame: YjsFrame } | { ok: false; error: string };

class FrameError extends Error {}

/** lib0 throws plain errors (or RangeErrors) on truncated input; each becomes a typed refusal. */
function read<T>(what: string, reader: () => T): T {
  try {
    return reader();
  } catch {
    throw new FrameError(`Truncated ${what}`);
  }
}

function readAwarenessEntries(payload: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = read("awareness update", () => decoding.readVarUint(decoder));
  const entries: AwarenessEntry[] = [];
  for (let index = 0; index < count; index++) {
    const clientId = read("awareness update", () => decoding.readVarUint(decoder));
    const clock = read("awareness update", () => decoding.readVarUint(decoder));
    const json = read("awareness update", () => decoding.readVarString(decoder));
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new FrameError("Awareness state is not JSON");
    }
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new FrameError("Trailing bytes in awareness update");
  return entries;
}

/** Decodes what follows the message type of a frame; throws FrameError on malformed input. */
function decodeYjsFrameBody(messageType: number, decoder: decoding.Decoder): YjsFrame {
  switch (messageType) {
    case YjsMessageType.sync: {
      const syncType = read("sync message", () => decoding.readVarUint(decoder));
      const payload = read("sync message", () => decoding.readVarUint8Array(decoder));
      switch (syncType) {
        case SyncMessageType.step1:
          return { type: "syncStep1", stateVector: payload };
        case SyncMessageType.step2:
          return { type: "syncStep2", update: payload };
        case SyncMessageType.update:
          return { type: "update", update: payload };
        default:
          throw new FrameError(`Unknown sync message type ${syncType}`);
      }
    }
    case YjsMessageType.awareness:
      return {
        type: "awareness",
        entries: readAwarenessEntries(read("awareness frame", () => decoding.readVarUint8Array(decoder))),
      };
    case YjsMessageType.auth: {
      const authType = read("auth message", () => decoding.readVarUint(decoder));
      if (authType !== AUTH_PERMISSION_DENIED) throw new FrameError(`Unknown auth message type ${authType}`);
      return { type: "auth", permissionDenied: read("auth message", () => decoding.readVarString(decoder)) };
    }
    case YjsMessageType.queryAwareness:
      return { type: "queryAwareness" };
    case YjsMessageType.access: {
      const json = read("access notice", () => decoding.readVarString(decoder));
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        throw new FrameError("Access notice is not JSON");
      }
      const notice = readAccessNotice(value);
      if (!notice) throw new FrameError("Access notice has the wrong shape");
      return { type: "access", notice };
    }
    case YjsMessageType.saveCheck:
      return { type: "saveCheck", marker: read("save check", () => decoding.readVarUint(decoder)) };
    case YjsMessageType.saved:
      return { type: "saved", marker: read("saved marker", () => decoding.readVarUint(decoder)) };
    case YjsMessageType.updateRefused:
      return { type: "updateRefused", reason: read("refusal", () => decoding.readVarString(decoder)) };
    default:
      throw new FrameError(`Unknown message type ${messageType}`);
  }
}

/** Decodes one whole frame; trailing bytes make it malformed. */
export function decodeYjsFrame(message: Uint8Array): DecodeResult {
  try {
    const decoder = decoding.createDecoder(message);
    const messageType = read("frame", () => decoding.readVarUint(decoder));
    const frame = decodeYjsFrameBody(messageType, decoder);
    if (decoding.hasContent(decoder)) return { ok: false, error: "Trailing bytes after the frame" };
    return { ok: true, frame };
  } catch (error) {
    if (error instanceof FrameError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * The client ids of an awareness frame, read without parsing the states (the server's cheap look
 * at the presence every client echoes back); null for any other frame or a malformed one.
 */
export function awarenessFrameClientIds(message: Uint8Array): number[] | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== YjsMessageType.awareness) return null;
    const payload = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    if (decoding.hasContent(decoder)) return null;
    const count = decoding.readVarUint(payload);
    const clientIds: number[] = [];
    for (let index = 0; index < count; index++) {
      clientIds.push(decoding.readVarUint(payload));
      decoding.readVarUint(payload);
      decoding.readUint8Array(payload, decoding.readVarUint(payload));
    }
    return decoding.hasContent(payload) ? null : clientIds;
  } catch {
    return null;
  }
}

/** Decodes the body of a frame whose type the caller already knows (a y-websocket message handler). */
export function decodeFrameOfType<T extends YjsFrameType>(
  messageType: number,
  decoder: decoding.Decoder,
  expected: T,
): Extract<YjsFrame, { type: T }> | null {
  try {
    const frame = decodeYjsFrameBody(messageType, decoder);
    return frame.type === expected ? (frame as Extract<YjsFrame, { type: T }>) : null;
  } catch (error) {
    if (error instanceof FrameError) return null;
    throw error;
  }
}

function frame(messageType: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageType);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  return frame(YjsMessageType.sync, (encoder) => {
    encoding.writeVarUint(encoder, syncType);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

/** The payload of an awareness frame (y-protocols' awareness update) from its entries. */
export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

export const encodeYjsFrame = {
  syncStep1: (stateVector: Uint8Array) => syncFrame(SyncMessageType.step1, stateVector),
  syncStep2: (update: Uint8Array) => syncFrame(SyncMessageType.step2, update),
  update: (update: Uint8Array) => syncFrame(SyncMessageType.update, update),
  /** An awareness frame around an already encoded awareness update (y-protocols' encodeAwarenessUpdate). */
  awareness: (awarenessUpdate: Uint8Array) =>
    frame(YjsMessageType.awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessUpdate)),
  awarenessEntries: (entries: readonly AwarenessEntry[]) =>
    frame(YjsMessageType.awareness, (encoder) => encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(entries))),
  auth: (permissionDenied: string) =>
    frame(YjsMessageType.auth, (encoder) => {
      encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
      encoding.writeVarString(encoder, permissionDenied);
    }),
  queryAwareness: () => frame(YjsMessageType.queryAwareness, () => undefined),
  access: (notice: AccessNotice) =>
    frame(YjsMessageType.access, (encoder) => encoding.writeVarString(encoder, JSON.stringify(notice))),
  saveCheck: (marker: number) => frame(YjsMessageType.saveCheck, (encoder) => encoding.writeVarUint(encoder, marker)),
  saved: (marker: number) => frame(YjsMessageType.saved, (encoder) => encoding.writeVarUint(encoder, marker)),
  updateRefused: (reason: string) =>
    frame(YjsMessageType.updateRefused, (encoder) => encoding.writeVarString(encoder, reason)),
} as const;
