import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { z } from "zod";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { RoomRegistry } from "../papers/yjs/registry";
import { type DocumentRoom, FROM_OTHER_NODE } from "../papers/yjs/room";
import type { Store } from "../store/types";

/** How long this node's presence changes wait to be published together (as the room batches its relays). */
const AWARENESS_BATCH_MS = 50;
/** How often every open paper is compared with the store, whatever Redis said. */
const SWEEP_MS = 60_000;

const messageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("update"),
    node: z.string(),
    n: z.number().int(),
    at: z.number(),
    doc: z.string(),
    seq: z.number().int(),
    data: z.string(),
  }),
  z.object({
    type: z.literal("awareness"),
    node: z.string(),
    n: z.number().int(),
    at: z.number(),
    doc: z.string(),
    data: z.string(),
  }),
  z.object({
    type: z.literal("presenceQuery"),
    node: z.string(),
    n: z.number().int(),
    at: z.number(),
    doc: z.string(),
  }),
  z.object({ type: z.literal("access"), node: z.string(), n: z.number().int(), at: z.number(), doc: z.string() }),
  z.object({
    type: z.literal("sessionEnded"),
    node: z.string(),
    n: z.number().int(),
    at: z.number(),
    session: z.string(),
  }),
]);
type BusMessage = z.infer<typeof messageSchema>;
type Outgoing = BusMessage extends infer M ? (M extends BusMessage ? Omit<M, "node" | "n" | "at"> : never) : never;

export interface ClusterOptions {
  redisUrl: string;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) share one Redis. */
  prefix: string;
  store: Store;
  registry: RoomRegistry;
  logger: Logger;
  metrics: Metrics;
  /** Another node changed who may edit a paper, or ended a session. */
  onAccessChanged(docId: string): void;
  onSessionEnded(sessionId: string): void;
  /** Tests only: N updates from other nodes are dropped, as a lossy pub/sub would. */
  dropInboundUpdates?: number;
}

export interface ClusterBus {
  readonly nodeId: string;
  /** A second client for other Redis users on this node (the socket.io adapter, throttles). */
  readonly publisher: Redis;
  readonly subscriber: Redis;
  accessChanged(docId: string): void;
  sessionEnded(sessionId: string): void;
  /** Who is connected to each paper open on this node, and when each last edited it. */
  localPresence(): Map<string, { sessionId: string; lastEditAt: number | null }[]>;
  /** Resolves when Redis answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Several nodes share papers through Redis pub/sub (decision 131). Each stored update is
 * published on its document's channel with this node's id, a per-node message number and the
 * store's seq; the other nodes that have the paper loaded apply it (no store: it is stored) and
 * relay it. Pub/sub may lose messages (a reconnect, a full output buffer): a gap in a node's
 * numbers, or a reconnect of our subscriber, makes this node read every open paper again from the
 * store, which holds every acknowledged update, so replicas never stay apart.
 */
export async function connectCluster(options: ClusterOptions): Promise<ClusterBus> {
  const { store, registry, logger, metrics, prefix } = options;
  const nodeId = randomUUID();
  const channelPrefix = `${prefix}bus:`;
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectionName: `caucus-pub-${nodeId}` });
  const subscriber = new Redis(options.redisUrl, { connectionName: `caucus-sub-${nodeId}` });
  const rooms = new Set<DocumentRoom>();
  /** Per room, the presence ids other nodes' clients hold: never published from here. */
  const otherNodesIds = new WeakMap<DocumentRoom, Set<number>>();
  const lastNumberByNode = new Map<string, number>();
  let sent = 0;
  let dropsLeft = options.dropInboundUpdates ?? 0;

  function publish(channel: string, message: Outgoing): void {
    const full = { ...message, node: nodeId, n: ++sent, at: Date.now() };
    publisher.publish(`${channelPrefix}${channel}`, JSON.stringify(full)).catch((error: unknown) => {
      // The number was spent: the other nodes see a gap on our next message and read the store.
      logger.error("Publishing to Redis failed", error, { channel });
    });
  }

  /** Brings one loaded paper up to what the store holds, relaying what was missing to its clients. */
  async function resync(room: DocumentRoom, cause: string): Promise<void> {
    const stored = await store.loadDocument(room.docId);
    if (!stored || room.destroyed) return;
    const parts = [stored.snapshot, ...stored.updates].filter((part): part is Uint8Array => part !== null);
    if (parts.length === 0) return;
    const before = Y.encodeStateVector(room.doc);
    Y.applyUpdate(room.doc, Y.diffUpdate(Y.mergeUpdates(parts), before), FROM_OTHER_NODE);
    // The sweep is routine: it counts only when it found something the messages had not brought.
    const changed = Buffer.compare(Buffer.from(before), Buffer.from(Y.encodeStateVector(room.doc))) !== 0;
    if (cause !== "sweep" || changed) metrics.redisResyncs.inc({ cause });
  }

  function resyncAll(cause: string): void {
    for (const room of rooms) {
      if (room.destroyed) {
        rooms.delete(room);
        continue;
      }
      resync(room, cause).catch((error: unknown) =>
        logger.error("Reading a paper again from the store failed", error, { docId: room.docId, cause }),
      );
    }
  }

  function attach(room: DocumentRoom): void {
    rooms.add(room);
    room.onStored = (update, seq) =>
      publish(`doc:${room.docId}`, {
        type: "update",
        doc: room.docId,
        seq,
        data: Buffer.from(update).toString("base64"),
      });
    const changed = new Set<number>();
    const remote = new Set<number>();
    otherNodesIds.set(room, remote);
    let scheduled = false;
    room.awareness.on(
      "update",
      (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        for (const clientId of changes.removed) remote.delete(clientId);
        if (origin === FROM_OTHER_NODE) {
          for (const clientId of [...changes.added, ...changes.updated]) remote.add(clientId);
          return;
        }
        for (const clientId of [...changes.added, ...changes.updated, ...changes.removed]) changed.add(clientId);
        if (scheduled) return;
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          if (room.destroyed || changed.size === 0) return;
          const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...changed]);
          changed.clear();
          publish(`doc:${room.docId}`, {
            type: "awareness",
            doc: room.docId,
            data: Buffer.from(update).toString("base64"),
          });
        }, AWARENESS_BATCH_MS);
      },
    );
  }
  registry.onLoaded = (room) => {
    attach(room);
    // Other nodes' clients renew their presence only every 15 s: ask for it now.
    publish(`doc:${room.docId}`, { type: "presenceQuery", doc: room.docId });
  };

  async function receive(message: BusMessage): Promise<void> {
    if (message.node === nodeId) return;
    const last = lastNumberByNode.get(message.node);
    // The test hook loses updates as a flaky link would: after this node has heard from their sender.
    if (message.type === "update" && dropsLeft > 0 && last !== undefined) {
      dropsLeft--;
      return;
    }
    lastNumberByNode.set(message.node, message.n);
    metrics.redisLag.observe(Math.max(0, Date.now() - message.at) / 1000);
    const gap = last !== undefined && message.n !== last + 1;
    if (gap) {
      logger.info("Missed messages from another node: reading open papers again", { node: message.node });
      resyncAll("gap");
    }
    switch (message.type) {
      case "update": {
        // A paper still loading waits here and gets the update after its store read.
        const room = await registry.peek(message.doc);
        if (room) Y.applyUpdate(room.doc, Buffer.from(message.data, "base64"), FROM_OTHER_NODE);
        return;
      }
      case "awareness": {
        const room = await registry.peek(message.doc);
        if (room)
          awarenessProtocol.applyAwarenessUpdate(room.awareness, Buffer.from(message.data, "base64"), FROM_OTHER_NODE);
        return;
      }
      case "presenceQuery": {
        const room = await registry.peek(message.doc);
        const remote = room && otherNodesIds.get(room);
        if (!room || !remote) return;
        const own = [...room.awareness.getStates().keys()].filter((clientId) => !remote.has(clientId));
        if (own.length === 0) return;
        const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, own);
        publish(`doc:${room.docId}`, {
          type: "awareness",
          doc: room.docId,
          data: Buffer.from(update).toString("base64"),
        });
        return;
      }
      case "access":
        options.onAccessChanged(message.doc);
        return;
      case "sessionEnded":
        options.onSessionEnded(message.session);
        return;
    }
  }

  // Each (re)connection may follow lost messages; a paper loaded before the first one, too.
  subscriber.on("ready", () => {
    if (rooms.size === 0) return;
    logger.info("Connected to Redis again: reading open papers again");
    resyncAll("reconnect");
  });
  subscriber.on("error", (error: Error) => logger.info(`Redis subscriber: ${error.message}`));
  publisher.on("error", (error: Error) => logger.info(`Redis publisher: ${error.message}`));
  subscriber.on("pmessage", (_pattern: string, _channel: string, text: string) => {
    let parsed: BusMessage;
    try {
      parsed = messageSchema.parse(JSON.parse(text));
    } catch (error) {
      logger.error("A malformed message on the Caucus Redis channels", error);
      return;
    }
    receive(parsed).catch((error: unknown) => logger.error("Applying a message from another node failed", error));
  });
  // Not awaited: a node starts (and says it is not ready) while Redis is down; ioredis subscribes once connected.
  subscriber
    .psubscribe(`${channelPrefix}*`)
    .catch((error: unknown) => logger.error("Subscribing to Redis failed", error));
  // A node that stored an update and died before publishing it is silent, not a gap: a slow sweep
  // reads open papers again so their readers catch up even if the writer never reconnects.
  const sweep = setInterval(() => resyncAll("sweep"), SWEEP_MS);
  sweep.unref();

  return {
    nodeId,
    publisher,
    subscriber,
    accessChanged: (docId) => publish(`doc:${docId}`, { type: "access", doc: docId }),
    sessionEnded: (sessionId) => publish("sessions", { type: "sessionEnded", session: sessionId }),
    localPresence() {
      const presence = new Map<string, { sessionId: string; lastEditAt: number | null }[]>();
      for (const room of rooms) if (!room.destroyed && !room.broken) presence.set(room.docId, room.presence());
      return presence;
    },
    async ping() {
      await publisher.ping();
    },
    async close() {
      clearInterval(sweep);
      registry.onLoaded = null;
      subscriber.disconnect();
      // What was published during shutdown still goes out when Redis is there to take it.
      if (publisher.status === "ready") await publisher.quit().catch(() => publisher.disconnect());
      else publisher.disconnect();
    },
  };
}
