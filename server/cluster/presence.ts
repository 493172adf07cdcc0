import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../logger";

/** How often each node writes who is connected to it; a node that dies is forgotten after NODE_PRESENCE_TTL_MS. */
export const NODE_PRESENCE_REFRESH_MS = 2_000;
export const NODE_PRESENCE_TTL_MS = 3 * NODE_PRESENCE_REFRESH_MS;

export interface PresenceEntry {
  sessionId: string;
  lastEditAt: number | null;
}

/** What this node has live now: per open paper who is connected, per debate who follows its round. */
export interface LocalPresence {
  documents: Map<string, PresenceEntry[]>;
  debates: Map<string, string[]>;
}

/** Presence of the other nodes, read from Redis, for the control room. */
export interface SharedPresence {
  documentPresence(docId: string): Promise<PresenceEntry[]>;
  followers(debateId: string): Promise<string[]>;
  close(): Promise<void>;
}

const fieldSchema = z.object({
  at: z.number(),
  entries: z.array(z.object({ sessionId: z.string(), lastEditAt: z.number().nullable() })),
});

/**
 * Each node keeps, per paper and per debate, one field of its own (its node id) in a Redis hash:
 * the JSON of who is connected to it and when it wrote that. It rewrites the fields every
 * NODE_PRESENCE_REFRESH_MS, deletes a field when nobody is left, and readers ignore fields older than
 * NODE_PRESENCE_TTL_MS, so a node that died without cleaning up drops out on its own.
 */
export function sharePresence(options: {
  redis: Redis;
  prefix: string;
  nodeId: string;
  logger: Logger;
  local(): LocalPresence;
}): SharedPresence {
  const { redis, nodeId, logger } = options;
  const documentKey = (docId: string) => `${options.prefix}presence:doc:${docId}`;
  const debateKey = (debateId: string) => `${options.prefix}presence:debate:${debateId}`;
  let written = new Set<string>();
  let failing = false;

  async function publish(): Promise<void> {
    const { documents, debates } = options.local();
    const now = Date.now();
    const current = new Map<string, PresenceEntry[]>();
    for (const [docId, entries] of documents) if (entries.length > 0) current.set(documentKey(docId), entries);
    for (const [debateId, sessionIds] of debates) {
      if (sessionIds.length > 0) {
        current.set(
          debateKey(debateId),
          sessionIds.map((sessionId) => ({ sessionId, lastEditAt: null })),
        );
      }
    }
    const batch = redis.multi();
    for (const [key, entries] of current) {
      batch.hset(key, nodeId, JSON.stringify({ at: now, entries }));
      batch.pexpire(key, NODE_PRESENCE_TTL_MS);
    }
    for (const key of written) if (!current.has(key)) batch.hdel(key, nodeId);
    written = new Set(current.keys());
    await batch.exec();
  }

  const tick = () =>
    publish().then(
      () => {
        failing = false;
      },
      (error: unknown) => {
        // Once per outage: while Redis is down the control room shows this node's own people only.
        if (!failing) logger.info(`Writing presence to Redis failed: ${(error as Error).message}`);
        failing = true;
      },
    );
  const timer = setInterval(tick, NODE_PRESENCE_REFRESH_MS);
  timer.unref();
  void tick();

  async function othersAt(key: string): Promise<PresenceEntry[]> {
    const fields = await redis.hgetall(key);
    const now = Date.now();
    const entries: PresenceEntry[] = [];
    for (const [node, text] of Object.entries(fields)) {
      if (node === nodeId) continue;
      const parsed = fieldSchema.safeParse(JSON.parse(text));
      if (parsed.success && now - parsed.data.at <= NODE_PRESENCE_TTL_MS) entries.push(...parsed.data.entries);
    }
    return entries;
  }

  /** Without Redis, the control room still shows this node's people: presence is a hint, not a record. */
  const orNobody = (read: Promise<PresenceEntry[]>) => read.catch(() => []);

  return {
    documentPresence: (docId) => orNobody(othersAt(documentKey(docId))),
    async followers(debateId) {
      return (await orNobody(othersAt(debateKey(debateId)))).map((entry) => entry.sessionId);
    },
    async close() {
      clearInterval(timer);
      if (written.size === 0 || redis.status !== "ready") return;
      const batch = redis.multi();
      for (const key of written) batch.hdel(key, nodeId);
      await batch.exec().catch(() => undefined);
    },
  };
}
