import * as Y from "yjs";
import type { Logger } from "../logger";
import type { Store } from "../store/types";

/**
 * Below this many updates a log loads in a few milliseconds; above it, replaying every update on
 * the first connection would keep that student (and every other paper's traffic) waiting. The
 * first load after a restart runs Yjs cold: 800 entries cost 70–100 ms then (decision 181).
 */
export const COMPACT_ON_START_MIN_UPDATES = 100;

/**
 * Folds every long update log into its snapshot before the server accepts connections. A room
 * compacts its paper when the last connection leaves, so a long log is left only by a crash (or
 * by a paper that never emptied); doing it here, while no traffic can wait on it, keeps the first
 * load of such a paper as fast as a compacted one. A log that cannot be replayed is left as it is.
 */
export async function compactLongLogs(
  store: Store,
  logger: Logger,
  minUpdates = COMPACT_ON_START_MIN_UPDATES,
): Promise<number> {
  let compacted = 0;
  for (const docId of await store.listDocumentsWithLongLogs(minUpdates)) {
    const doc = new Y.Doc({ gc: true });
    try {
      const stored = await store.loadDocument(docId);
      if (!stored) continue;
      Y.transact(doc, () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(doc, update);
      });
      await store.compactDocument(docId, Y.encodeStateAsUpdate(doc), stored.lastSeq);
      compacted++;
    } catch (error) {
      logger.error(`Compacting ${docId} at start failed; its log stays as it is`, error);
    } finally {
      doc.destroy();
    }
  }
  if (compacted > 0) logger.info(`Compacted ${compacted} long update log(s) left by the last run`);
  return compacted;
}
