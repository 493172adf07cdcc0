import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { SessionInfo } from "../../../shared/session";
import { type AccessNotice, BudgetReason, CloseCode, CloseReason, PAPER_FRAGMENT } from "../../../shared/wire/protocol";
import {
  type AwarenessEntry,
  awarenessFrameClientIds,
  decodeYjsFrame,
  encodeAwarenessUpdate,
  encodeYjsFrame,
} from "../../../shared/wire/yjs-codec";
import { TokenBucket } from "../../budget";
import type { Logger } from "../../logger";
import type { Store } from "../../store/types";
import { UncuttableUpdate, updateInParts } from "./causal-parts";
import { encodeStateAsUpdateInSlices } from "./encode-in-slices";
import type { RoomTransport } from "./transport";
import {
  checkDecoded,
  checkUpdate,
  type DecodedUpdate,
  decodeWithinLimits,
  type RefusalKind,
  type UpdateEffect,
  type UpdateLimits,
} from "./update-guard";

export interface RoomConnection {
  transport: RoomTransport;
  session: SessionInfo;
  access: AccessNotice["access"];
  reason: string | null;
  /** The name others see in presence: the session's, or its code name (server/classroom/code-names.ts). */
  presenceName: string;
  /** Whether the client understands Caucus' own messages (access notices, save acknowledgements). */
  extended: boolean;
  /** Awareness client ids this connection announced, removed when it leaves. */
  awarenessIds: Set<number>;
  /** Frames received but not yet handled. */
  queued: number;
  paused: boolean;
  closed: boolean;
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;
  /** Items of the paper this connection's updates made Yjs pass over to place them (decision 189). */
  readonly placement: TokenBucket;
}

export type NewConnection = Pick<
  RoomConnection,
  "transport" | "session" | "access" | "reason" | "presenceName" | "extended"
>;

export interface RoomLimits {
  /** Largest size the paper may hold, measured after compaction (what it holds, not what was written). */
  maxDocumentBytes: number;
  /** Log size past which the room folds the log into the snapshot. */
  compactAfterLogBytes: number;
  /** Stored size past which a paper is built off the main thread and applied in parts (decision 179). */
  loadInPartsAfterBytes: number;
  update: UpdateLimits;
  /** Per-connection budgets (token buckets holding two seconds' worth). */
  messagesPerSecond: number;
  bytesPerSecond: number;
  placementStepsPerSecond: number;
  /** Frames a connection may have waiting before its socket stops being read. */
  maxQueuedPerConnection: number;
  /** Frames a room may have waiting before every connection that sends more is paused. */
  maxQueuedPerRoom: number;
  /** A connection whose unsent data passes this is dropped as a slow reader. */
  maxBufferedBytes: number;
  maxAwarenessIdsPerConnection: number;
  /** Longest awareness state (JSON) one client id may publish. */
  maxAwarenessStateBytes: number;
}

/** What the room starts from: the document built from the store (server/papers/yjs/load.ts). */
export interface LoadedDocument {
  doc: Y.Doc;
  lastSeq: number;
  snapshotBytes: number;
  logBytes: number;
  /** The whole paper's encoding, when the loader made it already (a load in parts does). */
  wholePaper?: Uint8Array;
}

/** How long presence changes wait to be relayed together; short enough that carets still feel live. */
const AWARENESS_BATCH_MS = 40;
/**
 * How long a renewal (a client restating unchanged presence every 15 s, so that peers do not drop
 * it after 30 s) may wait to be relayed: it changes nothing anyone sees, so it rides with the next
 * batch of changes, or goes alone after this.
 */
const RENEWAL_BATCH_MS = 3000;
/** A room hands the event loop back after this much work, so another paper's frames wait at most about this long. */
export const SLICE_MS = 8;
/** Budgets hold this many seconds' worth, for bursts such as a reconnection's sync. */
const BURST_SECONDS = 2;

type Job =
  | { kind: "frame"; connection: RoomConnection; message: Uint8Array }
  /** Server-side work in the room's order; it settles its own caller and never rejects. */
  | { kind: "task"; run: () => Promise<void> };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A slice of long work is followed by as long a rest. Handing the loop back for one turn is not
 * enough: another paper's edit takes several turns (read, store, commit, broadcast), and with a
 * slice between each of them it waited 50–70 ms.
 */
export const restAfterSlice = () => new Promise<void>((resolve) => setTimeout(resolve, SLICE_MS));

/**
 * A change with more structs than this is applied in causal parts of `STRUCTS_PER_PART` (decision
 * 182): below it, applying it whole takes a few ms at most.
 */
const APPLY_IN_PARTS_AFTER_STRUCTS = 1_000;
const STRUCTS_PER_PART = 250;
const isLarge = (decoded: DecodedUpdate) => decoded.structs.length > APPLY_IN_PARTS_AFTER_STRUCTS;

/**
 * One loaded document and the connections editing it. Frames are handled strictly in arrival
 * order through one bounded queue. An update is checked against the paper schema and the limits,
 * applied to the document with its relay held back, appended to the store, and only then relayed:
 * nothing anyone sees can be lost, and nothing stored fails to load.
 */
/** Origin of changes another node stored or published: relayed to this node's clients, never published again. */
export const FROM_OTHER_NODE = Symbol("from another node");

export class DocumentRoom {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<RoomConnection>();
  /** Which connection speaks for each awareness client id, so nobody can overwrite another's presence. */
  private readonly awarenessOwners = new Map<number, RoomConnection | typeof FROM_OTHER_NODE>();
  /** Reservations by connections that are being attached; the room unloads at zero. */
  references = 0;
  destroyed = false;
  /** Set when the document may hold a change the store does not: the room is dropped, not compacted. */
  broken = false;
  lastSeq: number;
  /** Snapshot plus log bytes: an upper bound of what the paper holds, exact right after compaction. */
  sizeBytes: number;
  private logBytes: number;
  /** Content bytes deleted since the last compaction, which compaction would give back. */
  private freedBytes = 0;
  /** When each session last changed the document, for the control room's "typing" cue. */
  private readonly lastEditBySession = new Map<string, number>();
  private readonly jobs: Job[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  /** Relays of the update being applied, sent once it is durable. */
  private held: { message: Uint8Array; origin: unknown }[] | null = null;
  /**
   * The stores started and not yet settled, in order. A room does not wait for each update's store
   * before handling the next frame, so a burst's updates share one commit (one fsync); what anyone
   * else sees of them (relays, acknowledgements, the sync of a new connection) waits for this.
   */
  private storing: Promise<void> = Promise.resolve();
  /**
   * The whole paper encoded, kept until the next change: every client that opens the paper asks
   * for all of it, and encoding a large paper takes milliseconds (a class joining at once, a reconnect storm).
   */
  private wholePaper: Uint8Array | null = null;
  private readonly pendingAwareness = new Set<number>();
  /** Whether a pending presence entry changes what peers see (not only a renewal). */
  private awarenessChanged = false;
  private awarenessFlushAt = 0;
  /**
   * Several nodes (decision 131): told of each update once it is stored, to publish it to the other
   * nodes; set, it also makes compaction first read what the other nodes stored.
   */
  onStored: ((update: Uint8Array, seq: number) => void) | null = null;
  private awarenessFlush: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly docId: string,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly limits: RoomLimits,
    loaded: LoadedDocument,
  ) {
    this.doc = loaded.doc;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.lastSeq = loaded.lastSeq;
    this.sizeBytes = loaded.snapshotBytes + loaded.logBytes;
    this.logBytes = loaded.logBytes;
    this.wholePaper = loaded.wholePaper ?? null;
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.wholePaper = null;
      this.relayUpdate(update, origin);
    });
    // For one message y-protocols emits "change" (what peers see differs) before "update" (changes and renewals).
    this.awareness.on("change", () => {
      this.awarenessChanged = true;
    });
    this.awareness.on("update", this.batchAwareness);
  }

  attach(fields: NewConnection): RoomConnection {
    const connection: RoomConnection = {
      ...fields,
      awarenessIds: new Set(),
      queued: 0,
      paused: false,
      closed: false,
      messages: new TokenBucket(this.limits.messagesPerSecond, this.limits.messagesPerSecond * BURST_SECONDS),
      bytes: new TokenBucket(this.limits.bytesPerSecond, this.limits.bytesPerSecond * BURST_SECONDS),
      placement: new TokenBucket(
        this.limits.placementStepsPerSecond,
        this.limits.placementStepsPerSecond * BURST_SECONDS,
      ),
    };
    this.connections.add(connection);
    this.sendAccess(connection);
    this.send(connection, encodeYjsFrame.syncStep1(Y.encodeStateVector(this.doc)));
    const states = this.awareness.getStates();
    if (states.size > 0) this.send(connection, this.awarenessFrame([...states.keys()]));
    return connection;
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
    const states = this.awareness.getStates();
    const entries = [...connection.awarenessIds]
      .filter((clientId) => states.has(clientId))
      .map((clientId) => ({
        clientId,
        clock: (meta.get(clientId)?.clock ?? 0) + 1,
        state: { ...(states.get(clientId) as object), user: { name, color: connection.session.color } },
      }));
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), connection);
  }

  /** Closes one connection with a code and reason; the endpoint's close handler detaches it. */
  refuse(connection: RoomConnection, code: number, reason: string): void {
    if (connection.closed) return;
    connection.closed = true;
    this.logger.info(`Closing a connection to ${this.docId} (${code}): ${reason}`);
    connection.transport.close(code, reason);
  }

  detach(connection: RoomConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.closed = true;
    for (const clientId of connection.awarenessIds) this.awarenessOwners.delete(clientId);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
  }

  /**
   * Takes one binary frame. Each connection spends from its message and byte budgets (4429 when
   * spent); a connection with too many frames waiting, or any sender while the room's queue is
   * full, stops being read until the queue drains.
   */
  receive(connection: RoomConnection, message: Uint8Array): void {
    if (connection.closed) return;
    if (!connection.messages.take(1)) {
      this.refuse(connection, CloseCode.tooManyConnections, BudgetReason.messages);
      return;
    }
    if (!connection.bytes.take(message.byteLength)) {
      this.refuse(connection, CloseCode.tooManyConnections, BudgetReason.bytes);
      return;
    }
    // Reading is paused at the bound; a client that still gets far past it is not honouring backpressure.
    if (connection.queued >= this.limits.maxQueuedPerConnection * 2) {
      this.refuse(connection, CloseCode.tooManyConnections, BudgetReason.queue);
      return;
    }
    if (this.isEchoedPresence(connection, message)) return;
    this.jobs.push({ kind: "frame", connection, message });
    connection.queued++;
    if (
      !connection.paused &&
      (connection.queued >= this.limits.maxQueuedPerConnection || this.jobs.length >= this.limits.maxQueuedPerRoom)
    ) {
      connection.paused = true;
      connection.transport.pauseReading();
    }
    void this.drain();
  }

  /**
   * Every y-websocket client re-sends each presence change it receives, so most presence frames
   * hold only ids other connections own: the owner check would skip every entry. They are dropped
   * here, before their states are parsed or they take a place in the queue.
   */
  private isEchoedPresence(connection: RoomConnection, message: Uint8Array): boolean {
    const clientIds = awarenessFrameClientIds(message);
    if (clientIds === null || clientIds.length === 0) return false;
    return clientIds.every((clientId) => {
      const owner = this.awarenessOwners.get(clientId);
      return owner !== undefined && owner !== connection;
    });
  }

  /** Resolves when every frame received so far has been handled. */
  idle(): Promise<void> {
    if (!this.draining && this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    let sliceStart = performance.now();
    while (this.jobs.length > 0) {
      await this.drainJobs(sliceStart);
      sliceStart = performance.now();
      await this.settled();
    }
    this.draining = false;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  private async drainJobs(sliceStart: number): Promise<void> {
    while (this.jobs.length > 0) {
      const job = this.jobs.shift()!;
      if (job.kind === "frame") {
        job.connection.queued--;
        if (!job.connection.closed && !this.broken) {
          try {
            await this.process(job.connection, job.message);
          } catch (error) {
            // Nothing a client sends may throw out of the room; should a bug let it, that client goes.
            this.logger.error(`Handling a frame for ${this.docId} failed`, error);
            this.refuse(job.connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
          }
        }
        this.resumeIfDrained(job.connection);
      } else {
        await job.run();
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  /** Resolves once every store started so far has settled (and its relays went out, or the room broke). */
  private settled(): Promise<void> {
    return this.storing;
  }

  private resumeIfDrained(connection: RoomConnection): void {
    if (!connection.paused || connection.closed) return;
    if (connection.queued > this.limits.maxQueuedPerConnection / 2) return;
    if (this.jobs.length > this.limits.maxQueuedPerRoom / 2) return;
    connection.paused = false;
    connection.transport.resumeReading();
  }

  /** Runs server-side work (a restore, an encoding) in the room's order, after every frame already received. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ kind: "task", run: () => work().then(resolve, reject) });
      void this.drain();
    });
  }

  private async process(connection: RoomConnection, message: Uint8Array): Promise<void> {
    const decoded = decodeYjsFrame(message);
    if (!decoded.ok) {
      this.logger.info(`Malformed frame for ${this.docId}: ${decoded.error}`);
      return this.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
    }
    const frame = decoded.frame;
    switch (frame.type) {
      case "syncStep1": {
        await this.settled();
        let missing: Uint8Array;
        try {
          missing = await this.missingFrom(frame.stateVector);
        } catch {
          return this.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        }
        this.send(connection, encodeYjsFrame.syncStep2(missing));
        return;
      }
      case "syncStep2":
      case "update":
        return this.receiveUpdate(connection, frame.update);
      case "awareness":
        return this.receiveAwareness(connection, frame.entries);
      case "queryAwareness":
        this.send(connection, this.awarenessFrame([...this.awareness.getStates().keys()]));
        return;
      case "auth":
        return;
      case "saveCheck":
        await this.settled();
        this.sendToExtended(connection, encodeYjsFrame.saved(frame.marker));
        return;
      case "access":
      case "saved":
      case "updateRefused":
        return this.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
    }
  }

  private async receiveUpdate(connection: RoomConnection, update: Uint8Array): Promise<void> {
    const read = decodeWithinLimits(update, this.limits.update);
    if (!read.ok) return this.refuseUpdate(connection, read);
    const { decoded } = read;
    // Decoding a large change took a slice already (decision 182).
    if (isLarge(decoded)) await restAfterSlice();
    const verdict = checkDecoded(this.doc, decoded, this.limits.update);
    if (!verdict.ok) return this.refuseUpdate(connection, verdict);
    const { effect } = verdict;
    if (!effect.changesSomething) return;
    if (!connection.placement.take(effect.placementSteps)) {
      return this.refuse(connection, CloseCode.tooManyConnections, BudgetReason.placement);
    }
    if (connection.access !== "write") {
      this.sendToExtended(connection, encodeYjsFrame.updateRefused(connection.reason ?? "You cannot edit this paper"));
      return;
    }
    const roomLeft = await this.roomFor(update, effect);
    if (roomLeft !== null) return this.refuse(connection, CloseCode.documentTooLarge, fullPaperReason(roomLeft));
    await this.commit(update, decoded, connection.session.id, effect, connection);
  }

  private refuseUpdate(connection: RoomConnection, refusal: { kind: RefusalKind; reason: string }): void {
    switch (refusal.kind) {
      case "malformed":
        this.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        return;
      case "missingDependencies":
        this.refuse(connection, CloseCode.missingDependencies, CloseReason[CloseCode.missingDependencies]);
        return;
      case "schema":
      case "limit":
        this.refuse(connection, CloseCode.changeRefused, refusal.reason);
        return;
    }
  }

  /**
   * Null when the paper may take the update, else the bytes left. A change that does not grow the
   * paper always fits. Past the bound the room compacts first, so the limit applies to what the
   * paper holds, not to the history of what was written into it.
   */
  private async roomFor(update: Uint8Array, effect: UpdateEffect): Promise<number | null> {
    const limit = this.limits.maxDocumentBytes;
    if (effect.netGrowth <= 0 || this.sizeBytes + update.byteLength <= limit) return null;
    // Compaction writes the whole paper: only worth it when it can change the answer by more than 1 %.
    if (this.logBytes + this.freedBytes >= Math.max(4096, limit / 100)) await this.compact();
    if (this.sizeBytes + effect.netGrowth <= limit) return null;
    return Math.max(0, limit - this.sizeBytes);
  }

  /**
   * The one path by which a change enters the paper: applied with its relay held back (an update
   * that throws is never stored), appended to the durable log with its author's counts, then
   * relayed. The store is not awaited here: relays go out in order as stores settle. If storing
   * fails the document holds a change the store does not, so the room is dropped.
   */
  private async commit(
    update: Uint8Array,
    decoded: DecodedUpdate,
    sessionId: string | null,
    effect: UpdateEffect,
    origin: unknown,
  ): Promise<void> {
    this.held = [];
    try {
      // Every change takes this path: a small one stays one synchronous call, with no extra turn.
      if (isLarge(decoded)) await this.applyInParts(update, decoded, origin);
      else Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      this.held = null;
      this.logger.error(`An update to ${this.docId} passed the checks but failed to apply`, error);
      return this.abandon();
    }
    const relays = this.held;
    this.held = null;
    // Settled at once into a value: a store that fails before its turn in the chain is no unhandled rejection.
    const stored = this.store
      .appendUpdate(this.docId, update, sessionId, { inserted: effect.inserted, deleted: effect.deleted })
      .then(
        (seq) => ({ ok: true as const, seq }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    this.sizeBytes += update.byteLength;
    this.logBytes += update.byteLength;
    this.freedBytes += Math.max(0, -effect.netGrowth);
    this.storing = this.storing
      .then(async () => {
        const result = await stored;
        if (this.broken) return;
        if (!result.ok) {
          this.logger.error(`Storing an update of ${this.docId} failed`, result.error);
          return this.abandon("The server could not store your change; reconnecting");
        }
        this.lastSeq = result.seq;
        for (const { message, origin: from } of relays) this.relay(message, from);
        this.onStored?.(update, result.seq);
        if (sessionId) this.lastEditBySession.set(sessionId, Date.now());
      })
      .catch((error: unknown) => {
        this.logger.error(`Relaying a stored update of ${this.docId} failed`, error);
        this.abandon();
      });
    // Compaction encodes the whole paper: past the threshold it waits until the log is as large as
    // the snapshot, so its cost stays proportional to what is written, however large the paper.
    if (this.logBytes > Math.max(this.limits.compactAfterLogBytes, this.sizeBytes - this.logBytes))
      await this.compact();
  }

  /**
   * Applies a large checked change (a long paste, a restore) in causal parts, resting after each
   * slice, so no other paper waits behind the whole of it (decision 182); the room's own frames
   * wait, in order, as they do for any change. Each part's relay is held like a whole change's.
   */
  private async applyInParts(update: Uint8Array, decoded: DecodedUpdate, origin: unknown): Promise<void> {
    // Checking the change took a slice already.
    await restAfterSlice();
    const parts = updateInParts(this.doc, decoded, STRUCTS_PER_PART);
    if (!parts) {
      // A gap or a client out of order: only Yjs' own handling of the whole (parking what it cannot place) is right.
      Y.applyUpdate(this.doc, update, origin);
      return;
    }
    let sliceStart = performance.now();
    try {
      for (const part of parts) {
        Y.applyUpdate(this.doc, part, origin);
        if (performance.now() - sliceStart > SLICE_MS) {
          await restAfterSlice();
          sliceStart = performance.now();
        }
      }
    } catch (error) {
      if (!(error instanceof UncuttableUpdate)) throw error;
      // Yjs skips what the parts brought, applies the rest and parks what it cannot place, as it would have.
      Y.applyUpdate(this.doc, update, origin);
    }
  }

  /**
   * Makes the paper's content equal to a snapshot's, as one change by `sessionId` stored like any
   * other: every open editor follows. Built on a scratch copy, so the live paper changes only by
   * the resulting update.
   */
  restore(state: Uint8Array, sessionId: string): Promise<void> {
    return this.enqueue(async () => {
      const target = new Y.Doc();
      const scratch = new Y.Doc();
      try {
        Y.applyUpdate(target, state);
        Y.applyUpdate(scratch, await this.wholePaperEncoding());
        const before = Y.encodeStateVector(scratch);
        const fragment = scratch.getXmlFragment(PAPER_FRAGMENT);
        scratch.transact(() => {
          fragment.delete(0, fragment.length);
          fragment.insert(
            0,
            target
              .getXmlFragment(PAPER_FRAGMENT)
              .toArray()
              .map((node) => node.clone() as Y.XmlElement | Y.XmlText),
          );
        });
        const update = Y.encodeStateAsUpdate(scratch, before);
        const verdict = checkUpdate(this.doc, update, {
          ...this.limits.update,
          maxItems: Number.POSITIVE_INFINITY,
          maxPlacementSteps: Number.POSITIVE_INFINITY,
        });
        if (!verdict.ok) throw new Error(`The snapshot does not fit the paper: ${verdict.reason}`);
        await this.commit(update, verdict.decoded, sessionId, verdict.effect, null);
        await this.settled();
        if (this.broken) throw new Error("The restore could not be stored");
      } finally {
        target.destroy();
        scratch.destroy();
      }
    });
  }

  /** What a client with this state vector lacks: the whole paper when it knows none of it. */
  private missingFrom(encodedStateVector: Uint8Array): Promise<Uint8Array> {
    const known = Y.decodeStateVector(encodedStateVector);
    const paperClocks = this.doc.store.clients;
    const knowsNothing = [...known].every(([clientId, clock]) => clock === 0 || !paperClocks.has(clientId));
    if (!knowsNothing) return this.encodeInSlices(encodedStateVector);
    return this.wholePaperEncoding();
  }

  /** The whole paper as one update, once every frame received so far is handled and stored. */
  wholeState(): Promise<Uint8Array> {
    return this.enqueue(async () => {
      await this.settled();
      return this.wholePaperEncoding();
    });
  }

  /** The whole paper encoded: kept from the last time, or encoded again in slices (and kept). */
  private async wholePaperEncoding(): Promise<Uint8Array> {
    if (this.wholePaper) return this.wholePaper;
    const encoded = await this.encodeInSlices();
    this.wholePaper = encoded;
    return encoded;
  }

  /**
   * Encoding a large paper takes longer than a slice (decision 185): it rests like a large change.
   * Only the room's own queue runs it, so the paper stays still while it rests.
   */
  private encodeInSlices(targetStateVector?: Uint8Array): Promise<Uint8Array> {
    return encodeStateAsUpdateInSlices(this.doc, { sliceMs: SLICE_MS, rest: restAfterSlice }, targetStateVector);
  }

  /** Drops the room after a failure that may leave the document ahead of the store; clients reconnect and resync. */
  private abandon(reason: string = CloseReason[CloseCode.loadFailed]): void {
    this.broken = true;
    for (const connection of this.connections) this.refuse(connection, CloseCode.loadFailed, reason);
  }

  /** Folds the log into one snapshot row (one transaction in the store). */
  private async compact(): Promise<void> {
    await this.settled();
    if (this.broken) return;
    let throughSeq = this.lastSeq;
    if (this.onStored) {
      // Other nodes write this paper too: the snapshot must hold every update it folds away.
      const stored = await this.store.loadDocument(this.docId);
      if (stored) {
        for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(this.doc, update, null);
        throughSeq = Math.max(throughSeq, stored.lastSeq);
      }
    }
    // Unchanged since the last encoding (a load, a newcomer's sync, the last compaction): no need to encode again.
    const snapshot = await this.wholePaperEncoding();
    await this.store.compactDocument(this.docId, snapshot, throughSeq);
    this.sizeBytes = snapshot.byteLength;
    this.logBytes = 0;
    this.freedBytes = 0;
  }

  /**
   * Presence comes from the session, not from the client: whatever name or colour a client puts in
   * its awareness state is replaced by its session's, and a client id claimed by another
   * connection is ignored.
   */
  private receiveAwareness(connection: RoomConnection, entries: AwarenessEntry[]): void {
    const accepted: AwarenessEntry[] = [];
    for (const { clientId, clock, state } of entries) {
      const owner = this.awarenessOwners.get(clientId);
      if (owner !== undefined && owner !== connection) continue;
      if (
        !connection.awarenessIds.has(clientId) &&
        connection.awarenessIds.size >= this.limits.maxAwarenessIdsPerConnection
      ) {
        this.refuse(connection, CloseCode.tooManyConnections, BudgetReason.awarenessIds);
        return;
      }
      if (
        state !== null &&
        (typeof state !== "object" || JSON.stringify(state).length > this.limits.maxAwarenessStateBytes)
      ) {
        this.refuse(connection, CloseCode.malformedMessage, CloseReason[CloseCode.malformedMessage]);
        return;
      }
      this.awarenessOwners.set(clientId, connection);
      connection.awarenessIds.add(clientId);
      const user = { name: connection.presenceName, color: connection.session.color };
      const claimed = (state as { user?: { name?: unknown; color?: unknown } } | null)?.user;
      const forged = state !== null && (claimed?.name !== user.name || claimed?.color !== user.color);
      // A newer clock makes the sender's own awareness take the corrected state too.
      accepted.push({ clientId, clock: forged ? clock + 1 : clock, state: state === null ? null : { ...state, user } });
    }
    // Every y-websocket client re-sends each presence change it receives, so most presence frames
    // hold only other connections' ids: those end here without being encoded and applied again.
    if (accepted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), connection);
  }

  /** Sends to one connection, dropping it when it cannot keep up. */
  private send(connection: RoomConnection, message: Uint8Array): void {
    if (connection.closed || !connection.transport.isOpen) return;
    if (connection.transport.bufferedAmount > this.limits.maxBufferedBytes) {
      this.refuse(connection, CloseCode.slowReader, CloseReason[CloseCode.slowReader]);
      return;
    }
    connection.transport.send(message);
  }

  private sendAccess(connection: RoomConnection): void {
    this.sendToExtended(connection, encodeYjsFrame.access({ access: connection.access, reason: connection.reason }));
  }

  private sendToExtended(connection: RoomConnection, message: Uint8Array): void {
    if (connection.extended) this.send(connection, message);
  }

  private awarenessFrame(clientIds: number[]): Uint8Array {
    return encodeYjsFrame.awareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds));
  }

  private relayUpdate(update: Uint8Array, origin: unknown): void {
    const message = encodeYjsFrame.update(update);
    if (this.held) this.held.push({ message, origin });
    else this.relay(message, origin);
  }

  private relay(message: Uint8Array, origin: unknown): void {
    for (const connection of this.connections) if (connection !== origin) this.send(connection, message);
  }

  /**
   * Presence changes are relayed in batches: every client renews its awareness every 15 s, and a
   * class that connected together renews together, so relaying each one at once would send
   * clients × clients frames in a burst. One frame per connection per batch carries them all.
   */
  private readonly batchAwareness = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    // Another node's clients own their ids here too: a client echoing them back cannot claim them.
    if (origin === FROM_OTHER_NODE) {
      for (const clientId of [...changes.added, ...changes.updated]) {
        if (!this.awarenessOwners.has(clientId)) this.awarenessOwners.set(clientId, FROM_OTHER_NODE);
      }
    }
    for (const clientId of changes.removed) {
      if (this.awarenessOwners.get(clientId) === FROM_OTHER_NODE) this.awarenessOwners.delete(clientId);
    }
    for (const clientId of [...changes.added, ...changes.updated, ...changes.removed]) {
      this.pendingAwareness.add(clientId);
    }
    const flushAt = performance.now() + (this.awarenessChanged ? AWARENESS_BATCH_MS : RENEWAL_BATCH_MS);
    if (this.awarenessFlush && this.awarenessFlushAt <= flushAt) return;
    if (this.awarenessFlush) clearTimeout(this.awarenessFlush);
    this.awarenessFlushAt = flushAt;
    this.awarenessFlush = setTimeout(this.flushAwareness, flushAt - performance.now());
  };

  private readonly flushAwareness = () => {
    this.awarenessFlush = null;
    this.awarenessChanged = false;
    if (this.destroyed || this.pendingAwareness.size === 0) return;
    const message = this.awarenessFrame([...this.pendingAwareness]);
    this.pendingAwareness.clear();
    for (const connection of this.connections) this.send(connection, message);
  };

  /** Who is connected (one entry per session, however many tabs) and when each last edited. */
  presence(): { sessionId: string; lastEditAt: number | null }[] {
    const sessionIds = new Set([...this.connections].map((connection) => connection.session.id));
    return [...sessionIds].map((sessionId) => ({
      sessionId,
      lastEditAt: this.lastEditBySession.get(sessionId) ?? null,
    }));
  }

  /** Merges the log into one snapshot row (unless the room broke), then frees the document. */
  async unload(): Promise<void> {
    this.destroyed = true;
    await this.idle();
    try {
      // With nothing in the log, the snapshot already holds the paper: leaving and coming back to a
      // large paper does not write it again. Other nodes' changes are not counted here, so a room
      // shared with them always folds what they stored.
      const logged = this.logBytes > 0 || this.onStored !== null;
      if (!this.broken && logged) await this.compact();
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

function fullPaperReason(bytesLeft: number): string {
  return `This paper is full (${Math.floor(bytesLeft / 1024)} KB left): delete something, then go on`;
}
