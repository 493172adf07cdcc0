/**
 * Wire constants shared by the browser and the server. Every code, event name and close reason
 * lives here once; docs/protocol.md describes the formats.
 */

export const PROTOCOL_VERSION = 1;

/**
 * Query parameter by which a Caucus client says which protocol version it speaks. Without it the
 * server sends only the stock y-websocket messages (0–3), so the stock client works unchanged.
 */
export const PROTOCOL_PARAM = "caucus";

/** Path prefix of the Yjs websocket endpoint: `/yjs/<docId>`. */
export const YJS_PATH_PREFIX = "/yjs/";
/** socket.io's default path, where the round control plane listens. */
export const SOCKET_IO_PATH_PREFIX = "/socket.io/";

/** Name of the Y.XmlFragment that holds a paper's Tiptap content. */
export const PAPER_FRAGMENT = "default";

/**
 * First varint of every binary Yjs frame. 0–3 are the y-websocket client's own codes, so the
 * stock client works against our server unchanged.
 */
export const YjsMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client: JSON `AccessNotice`, sent on connect and whenever the rule changes. */
  access: 5,
  /**
   * Client → server: varuint save marker. Frames of a connection are handled in order, so when the
   * server reaches the marker every update the client sent before it is stored; it then answers
   * with `saved` carrying the same marker.
   */
  saveCheck: 6,
  /** Server → client: varuint, the last save marker whose preceding updates are all stored. */
  saved: 7,
  /** Server → client: varstring reason; an update from this connection was refused, not stored. */
  updateRefused: 8,
} as const;

/** What a connection may do with the document it has open, and why not more. */
export interface AccessNotice {
  access: "write" | "read";
  reason: string | null;
}

/** An access notice from its JSON, or null if it is not one (the browser carries no schema library: decision 177). */
export function readAccessNotice(value: unknown): AccessNotice | null {
  if (typeof value !== "object" || value === null) return null;
  const { access, reason } = value as Record<string, unknown>;
  if (access !== "write" && access !== "read") return null;
  if (reason !== null && typeof reason !== "string") return null;
  return { access, reason };
}

/** Websocket close codes (4000–4999 is the range reserved for applications). */
export const CloseCode = {
  noSession: 4401,
  forbidden: 4403,
  documentNotFound: 4404,
  malformedMessage: 4400,
  /** Too slow to take what the server sends (its send buffer passed the bound); reconnect. */
  slowReader: 4408,
  /** A change the server could not place: it builds on changes the server does not have; reconnect and resend. */
  missingDependencies: 4409,
  documentTooLarge: 4413,
  /** A change outside the paper schema or past a limit on nesting, items or string length. */
  changeRefused: 4422,
  tooManyConnections: 4429,
  loadFailed: 4500,
  serverShuttingDown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.noSession]: "No valid session: join the debate first",
  [CloseCode.forbidden]: "This session may not open this document",
  [CloseCode.documentNotFound]: "No such document",
  [CloseCode.malformedMessage]: "Malformed message",
  [CloseCode.slowReader]: "The connection is too slow to keep up; reconnecting",
  [CloseCode.missingDependencies]: "This change depends on changes the server does not have; reconnecting",
  [CloseCode.documentTooLarge]: "This paper has reached its size limit; the last change was not saved",
  [CloseCode.changeRefused]: "This change does not fit the paper and was not saved",
  [CloseCode.tooManyConnections]: "Too many people have this paper open; try again shortly",
  [CloseCode.loadFailed]: "The document could not be loaded; try again",
  [CloseCode.serverShuttingDown]: "The server is restarting",
};

/**
 * Reasons sent with 4429 when one connection, session or address asks for more than its share
 * (the per-document limit has its own reason in `CloseReason`).
 */
export const BudgetReason = {
  messages: "Too many messages from this connection: slow down",
  bytes: "Too much data from this connection: slow down",
  placement: "Too many changes made far from the paper as it is: slow down",
  queue: "Too much unfinished work from this connection",
  awarenessIds: "Too many presence ids from one connection",
  perSession: "This session has too many papers open",
  perAddress: "Too many connections from this address",
} as const;

/**
 * Close codes after which a client must not reconnect on its own: retrying cannot help. A full
 * paper (4413) is not among them: the client reconnects, and a change that deletes is accepted.
 */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.noSession,
  CloseCode.forbidden,
  CloseCode.documentNotFound,
  CloseCode.changeRefused,
]);

/** The signed device cookie: one browser, for join throttles, duplicate flags and removals. */
export const DEVICE_COOKIE = "caucus_client";

/** The name of the signed session cookie that pages, /yjs and socket.io all read. */
export const SESSION_COOKIE = "caucus_session";
