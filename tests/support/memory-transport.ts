import * as Y from "yjs";
import { createDebateFromPack } from "../../server/classroom/debates";
import { roomLimits } from "../../server/config";
import { buildDocument } from "../../server/papers/yjs/load";
import { DocumentRoom, type RoomConnection, type RoomLimits } from "../../server/papers/yjs/room";
import type { RoomTransport } from "../../server/papers/yjs/transport";
import { ESSAY_PACK } from "../../server/seed/essay-pack";
import { openSqliteStore } from "../../server/store/sqlite";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import type { SessionInfo } from "../../shared/session";
import type { AccessNotice } from "../../shared/wire/protocol";
import { decodeYjsFrame, encodeYjsFrame, type YjsFrame } from "../../shared/wire/yjs-codec";
import { temporaryDatabasePath, testConfig, UNOWNED_DEBATE } from "./test-server";

/**
 * The server's end of an in-memory connection: what the room sends is decoded at once (a frame
 * the codec refuses fails the test), closes and pauses are recorded.
 */
export class MemoryTransport implements RoomTransport {
  readonly frames: YjsFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  bufferedAmount = 0;
  paused = false;
  onFrame: (frame: YjsFrame) => void = () => undefined;
  onClose: () => void = () => undefined;

  get isOpen(): boolean {
    return this.closed === null;
  }

  send(message: Uint8Array): void {
    if (this.closed) throw new Error("The room sent on a closed transport");
    const decoded = decodeYjsFrame(message);
    if (!decoded.ok) throw new Error(`The room sent a malformed frame: ${decoded.error}`);
    this.frames.push(decoded.frame);
    this.onFrame(decoded.frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    this.onClose();
  }

  pauseReading(): void {
    this.paused = true;
  }

  resumeReading(): void {
    this.paused = false;
  }

  of<T extends YjsFrame["type"]>(type: T): Extract<YjsFrame, { type: T }>[] {
    return this.frames.filter((frame): frame is Extract<YjsFrame, { type: T }> => frame.type === type);
  }
}

export interface MemoryClient {
  doc: Y.Doc;
  transport: MemoryTransport;
  connection: RoomConnection;
  /** Hands a raw frame to the room, as the socket would. */
  send(message: Uint8Array): void;
  /** Appends a paragraph to the paper; the update goes to the room at once. */
  write(text: string): void;
  text(): string;
}

/**
 * A Yjs client wired straight to a room: it answers sync step 1, applies what the room sends, and
 * sends each of its own document's updates, as the y-websocket provider does.
 */
export function connectMemoryClient(
  room: DocumentRoom,
  session: SessionInfo,
  options: { access?: AccessNotice["access"]; extended?: boolean; presenceName?: string } = {},
): MemoryClient {
  const doc = new Y.Doc();
  const transport = new MemoryTransport();
  const remote = Symbol("room");
  // The room sends its first frames during attach, before the connection exists: answers wait for it.
  let connection: RoomConnection | null = null;
  const early: Uint8Array[] = [];
  const send = (message: Uint8Array) => {
    if (connection) room.receive(connection, message);
    else early.push(message);
  };
  transport.onClose = () => {
    if (connection) room.detach(connection);
  };
  transport.onFrame = (frame) => {
    switch (frame.type) {
      case "syncStep1":
        send(encodeYjsFrame.syncStep2(Y.encodeStateAsUpdate(doc, frame.stateVector)));
        return;
      case "syncStep2":
      case "update":
        Y.applyUpdate(doc, frame.update, remote);
        return;
      default:
        return;
    }
  };
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== remote && !transport.closed) send(encodeYjsFrame.update(update));
  });
  const attached = room.attach({
    transport,
    session,
    access: options.access ?? "write",
    reason: options.access === "read" ? "Read only" : null,
    presenceName: options.presenceName ?? session.displayName,
    extended: options.extended ?? true,
  });
  connection = attached;
  for (const message of early.splice(0)) send(message);
  // As the provider does on open: ask for the room's state.
  send(encodeYjsFrame.syncStep1(Y.encodeStateVector(doc)));
  return {
    doc,
    transport,
    connection: attached,
    send,
    write(text) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      const fragment = doc.getXmlFragment("default");
      fragment.insert(fragment.length, [paragraph]);
    },
    text: () => doc.getXmlFragment("default").toString(),
  };
}

/** A room on a real SQLite file (no server, no sockets), for the first paper of a fresh debate. */
export async function memoryRoom(
  overrides: Partial<RoomLimits> = {},
  options: { roomStore?: (store: Store) => Store } = {},
): Promise<MemoryRoom> {
  const database = temporaryDatabasePath();
  const store = openSqliteStore(database.path);
  const roomStore = options.roomStore?.(store) ?? store;
  const debate = await createDebateFromPack(store, ESSAY_PACK, UNOWNED_DEBATE);
  const [team] = await store.listTeams(debate.id);
  const docId = paperDocumentId(team!.id);
  const limits = { ...roomLimits(testConfig(database.path)), ...overrides };
  const errors: string[] = [];
  const logger = { info: () => undefined, error: (message: string) => void errors.push(message) };
  const open = async () => {
    const built = buildDocument((await store.loadDocument(docId))!, limits.update);
    return { room: new DocumentRoom(docId, roomStore, logger, limits, built), setAside: built.setAside };
  };
  const { room } = await open();
  let sessions = 0;
  return {
    room,
    store,
    docId,
    limits,
    errors,
    session(name = `Student ${++sessions}`): SessionInfo {
      return {
        id: `session-${name}`,
        role: "student",
        displayName: name,
        debateId: debate.id,
        accountId: null,
        teamId: team!.id,
        color: "#047857",
      };
    },
    reopen: open,
    async close() {
      await room.unload();
      await store.close();
      database.remove();
    },
  };
}

export interface MemoryRoom {
  room: DocumentRoom;
  store: Store;
  docId: string;
  limits: RoomLimits;
  /** What the room logged as errors (a frame that threw out of its handler, a failed store). */
  errors: string[];
  session(name?: string): SessionInfo;
  /** Builds the paper again from the store, as a restart would, with what loading set aside. */
  reopen(): Promise<{ room: DocumentRoom; setAside: { seq: number; reason: string }[] }>;
  close(): Promise<void>;
}
