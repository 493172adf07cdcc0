import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { type AccessNotice, YjsMessageType } from "../../shared/protocol";
import type { SessionInfo } from "../../shared/session";
import type { Logger } from "../logger";
import type { Store, StoredDocument } from "../store/types";
import { measureUpdate } from "./contribution";

export interface RoomConnection {
  socket: WebSocket;
  session: SessionInfo;
  access: AccessNotice["access"];
  reason: string | null;
  /** The name others see in presence: the session's, or its code name (server/code-names.ts). */
  presenceName: string;
  /** Whether the client understands Caucus' own messages (access notices, save acknowledgements). */
  extended: boolean;
  /** Awareness client ids this connection announced, removed when it leaves. */
  awarenessIds: Set<number>;
  refusedUpdates: number;
}

export interface RoomLimits {
  /** Largest size the stored document (snapshot + log) may reach. */
  maxDocumentBytes: number;
  /** Log size past which the room folds the log into the snapshot. */
  compactAfterLogBytes: number;
}

/** How long presence changes wait to be relayed together; short enough that carets still feel live. */
const AWARENESS_BATCH_MS = 40;

/** A malformed frame: the connection that sent it is closed, everyone else carries on. */
export class MalformedMessageError extends Error {}

/** An update that would take the document past its size limit; it is not stored. */
export class DocumentTooLargeError extends Error {}

function send(socket: WebSocket, message: Uint8Array): void {
  if (socket.readyState === socket.OPEN) socket.send(message);
}

function storedSize(stored: StoredDocument): number {
  return (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((total, update) => total + update.byteLength, 0);
}

/**
 * One loaded document and the connections editing it. Every update a client sends is appended
 * to the store before it is applied and broadcast, so nothing anyone has seen can be lost.
 */
export class DocumentRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Map<WebSocket, RoomConnection>();
  /** Which connection speaks for each awareness client id, so nobody can overwrite another's presence. */
  private readonly awarenessOwners = new Map<number, RoomConnection>();
  /** Reservations by connections that are being attached; the room unloads at zero. */
  references = 0;
  destroyed = false;
  lastSeq: number;
  /** Bytes of snapshot and log in the store, the measure the size limit applies to. */
  sizeBytes: number;
  private logBytes: number;
  /** When each session last changed the document, for the control room's "typing" cue. */
  private readonly lastEditBySession = new Map<string, number>();
  private work: Promise<void> = Promise.resolve();
  private readonly pendingAwareness = new Set<number>();
  private awarenessFlush: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly docId: string,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly limits: RoomLimits,
    loaded: StoredDocument,
  ) {
    this.awareness.setLocalState(null);
    Y.transact(this.doc, () => {
      if (loaded.snapshot) Y.applyUpdate(this.doc, loaded.snapshot);
      for (const update of loaded.updates) Y.applyUpdate(this.doc, update);
    });
    this.lastSeq = loaded.lastSeq;
    this.sizeBytes = storedSize(loaded);
    this.logBytes = this.sizeBytes - (loaded.snapshot?.byteLength ?? 0);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => this.broadcastUpdate(update, origin));
    this.awareness.on("update", this.broadcastAwareness);
  }

  attach(connection: RoomConnection): void {
    this.connections.set(connection.socket, connection);
    this.sendAccess(connection);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YjsMessageType.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    send(connection.socket, encoding.toUint8Array(encoder));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      send(connection.socket, this.awarenessMessage([...states.keys()]));
    }
  }

  /** Applies a new rule to a live connection and tells its client, without reconnecting. */
  changeAccess(connection: RoomConnection, notice: AccessNotice): void {
    if (connection.access === notice.access && connection.reason === notice.reason) return;
    connection.access = notice.access;
    connection.reason = notice.reason;
    this.sendAccess(connection);
  }

  /** Renames a live connection's presence (code names switched), for everyone, without waiting for its client. */
  changePresenceName(connection: RoomConnection, name: string): void {
    if (connection.presenceName === name) return;
    connection.presenceName = name;
    const meta = this.awareness.meta;
    const encoder = encoding.createEncoder();
    const owned = [...connection.awarenessIds].filter((clientId) => this.awareness.getStates().has(clientId));
    encoding.writeVarUint(encoder, owned.length);
    for (const clientId of owned) {
      const state = this.awareness.getStates().get(clientId) as Record<string, unknown>;
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, (meta.get(clientId)?.clock ?? 0) + 1);
      encoding.writeVarString(encoder, JSON.stringify({ ...state, user: { name, color: connection.session.color } }));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), connection);
  }

  detach(socket: WebSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    for (const clientId of connection.awarenessIds) this.awarenessOwners.delete(clientId);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
  }

  /** Handles one binary frame; frames of a room are processed strictly in arrival order. */
  receive(connection: RoomConnection, message: Uint8Array): Promise<void> {
    const next = this.work.then(() => this.process(connection, message));
    this.work = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.work;
  }

  private async process(connection: RoomConnection, message: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(message);
    let messageType: number;
    try {
      messageType = decoding.readVarUint(decoder);
    } catch {
      throw new MalformedMessageError("Empty or truncated frame");
    }
    switch (messageType) {
      case YjsMessageType.sync:
        await this.processSync(connection, decoder);
        return;
      case YjsMessageType.awareness:
        this.processAwareness(connection, decoder);
        return;
      case YjsMessageType.queryAwareness:
        send(connection.socket, this.awarenessMessage([...this.awareness.getStates().keys()]));
        return;
      case YjsMessageType.auth:
        return;
      case YjsMessageType.saveCheck:
        this.answerSaveCheck(connection, decoder);
        return;
      default:
        throw new MalformedMessageError(`Unknown message type ${messageType}`);
    }
  }

  private async processSync(connection: RoomConnection, decoder: decoding.Decoder): Promise<void> {
    let syncType: number;
    let payload: Uint8Array;
    try {
      syncType = decoding.readVarUint(decoder);
      payload = decoding.readVarUint8Array(decoder);
    } catch {
      throw new MalformedMessageError("Truncated sync message");
    }
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, YjsMessageType.sync);
        try {
          syncProtocol.writeSyncStep2(encoder, this.doc, payload);
        } catch {
          throw new MalformedMessageError("Invalid state vector");
        }
        send(connection.socket, encoding.toUint8Array(encoder));
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate:
        await this.storeAndApply(connection, payload);
        return;
      default:
        throw new MalformedMessageError(`Unknown sync message type ${syncType}`);
    }
  }

  private async storeAndApply(connection: RoomConnection, update: Uint8Array): Promise<void> {
    let effect: ReturnType<typeof measureUpdate>;
    try {
      // Decoding first keeps a garbage update out of the durable log, where it would poison every load.
      effect = measureUpdate(update);
    } catch {
      throw new MalformedMessageError("Invalid Yjs update");
    }
    if (!effect.changesSomething) return;
    if (connection.access !== "write") {
      connection.refusedUpdates++;
      this.sendToExtended(connection, YjsMessageType.updateRefused, (encoder) =>
        encoding.writeVarString(encoder, connection.reason ?? "You cannot edit this paper"),
      );
      return;
    }
    if (this.sizeBytes + update.byteLength > this.limits.maxDocumentBytes) {
      throw new DocumentTooLargeError(`${this.docId} would exceed ${this.limits.maxDocumentBytes} bytes`);
    }
    this.lastSeq = await this.store.appendUpdate(this.docId, update, connection.session.id, {
      inserted: effect.inserted,
      deleted: effect.deleted,
    });
    this.sizeBytes += update.byteLength;
    this.logBytes += update.byteLength;
    this.lastEditBySession.set(connection.session.id, Date.now());
    Y.applyUpdate(this.doc, update, connection);
    if (this.logBytes > this.limits.compactAfterLogBytes) await this.compact();
  }

  /** Folds the log into one snapshot row (one transaction in the store). */
  private async compact(): Promise<void> {
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    await this.store.compactDocument(this.docId, snapshot, this.lastSeq);
    this.sizeBytes = snapshot.byteLength;
    this.logBytes = 0;
  }

  private answerSaveCheck(connection: RoomConnection, decoder: decoding.Decoder): void {
    let marker: number;
    try {
      marker = decoding.readVarUint(decoder);
    } catch {
      throw new MalformedMessageError("Truncated save check");
    }
    this.sendToExtended(connection, YjsMessageType.saved, (encoder) => encoding.writeVarUint(encoder, marker));
  }

  /**
   * Presence comes from the session, not from the client: whatever name or colour a client puts in
   * its awareness state is replaced by its session's, and a client id claimed by another
   * connection is ignored.
   */
  private processAwareness(connection: RoomConnection, decoder: decoding.Decoder): void {
    const entries: { clientId: number; clock: number; state: unknown }[] = [];
    try {
      const clients = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const count = decoding.readVarUint(clients);
      for (let index = 0; index < count; index++) {
        const clientId = decoding.readVarUint(clients);
        const clock = decoding.readVarUint(clients);
        const state: unknown = JSON.parse(decoding.readVarString(clients));
        entries.push({ clientId, clock, state });
      }
    } catch {
      throw new MalformedMessageError("Invalid awareness update");
    }
    const encoder = encoding.createEncoder();
    const accepted = entries.filter(({ clientId }) => {
      const owner = this.awarenessOwners.get(clientId);
      return owner === undefined || owner === connection;
    });
    encoding.writeVarUint(encoder, accepted.length);
    for (const { clientId, clock, state } of accepted) {
      this.awarenessOwners.set(clientId, connection);
      connection.awarenessIds.add(clientId);
      const user = { name: connection.presenceName, color: connection.session.color };
      const corrected = state !== null && typeof state === "object" ? { ...state, user } : null;
      const claimed = (state as { user?: { name?: unknown; color?: unknown } } | null)?.user;
      const forged = corrected !== null && (claimed?.name !== user.name || claimed?.color !== user.color);
      encoding.writeVarUint(encoder, clientId);
      // A newer clock makes the sender's own awareness take the corrected state too.
      encoding.writeVarUint(encoder, forged ? clock + 1 : clock);
      encoding.writeVarString(encoder, JSON.stringify(corrected));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), connection);
  }

  private sendAccess(connection: RoomConnection): void {
    this.sendToExtended(connection, YjsMessageType.access, (encoder) =>
      encoding.writeVarString(encoder, JSON.stringify({ access: connection.access, reason: connection.reason })),
    );
  }

  private sendToExtended(connection: RoomConnection, type: number, write: (encoder: encoding.Encoder) => void): void {
    if (!connection.extended) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    write(encoder);
    send(connection.socket, encoding.toUint8Array(encoder));
  }

  private awarenessMessage(clientIds: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YjsMessageType.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds));
    return encoding.toUint8Array(encoder);
  }

  private broadcastUpdate(update: Uint8Array, origin: unknown): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YjsMessageType.sync);
    syncProtocol.writeUpdate(encoder, update);
    const message = encoding.toUint8Array(encoder);
    for (const connection of this.connections.values()) {
      if (connection !== origin) send(connection.socket, message);
    }
  }

  /**
   * Presence changes are relayed in batches: every client renews its awareness every 15 s, and a
   * class that connected together renews together, so relaying each one at once would send
   * clients × clients frames in a burst. One frame per connection per batch carries them all.
   */
  private readonly broadcastAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
    for (const clientId of [...changes.added, ...changes.updated, ...changes.removed]) {
      this.pendingAwareness.add(clientId);
    }
    this.awarenessFlush ??= setTimeout(this.flushAwareness, AWARENESS_BATCH_MS);
  };

  private readonly flushAwareness = () => {
    this.awarenessFlush = null;
    if (this.destroyed || this.pendingAwareness.size === 0) return;
    const message = this.awarenessMessage([...this.pendingAwareness]);
    this.pendingAwareness.clear();
    for (const connection of this.connections.values()) send(connection.socket, message);
  };

  /** Who is connected (one entry per session, however many tabs) and when each last edited. */
  presence(): { sessionId: string; lastEditAt: number | null }[] {
    const sessionIds = new Set([...this.connections.values()].map((connection) => connection.session.id));
    return [...sessionIds].map((sessionId) => ({
      sessionId,
      lastEditAt: this.lastEditBySession.get(sessionId) ?? null,
    }));
  }

  /** Merges the log into one snapshot row, then frees the document. */
  async unload(): Promise<void> {
    this.destroyed = true;
    await this.idle();
    try {
      await this.compact();
    } catch (error) {
      // The log still holds every update, so a failed compaction loses nothing.
      this.logger.error(`Compaction of ${this.docId} failed`, error);
    } finally {
      if (this.awarenessFlush) clearTimeout(this.awarenessFlush);
      this.awareness.destroy();
      this.doc.destroy();
    }
  }
}
