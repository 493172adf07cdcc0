import * as Y from "yjs";
import type { StoredDocument } from "../../store/types";
import type { LoadedDocument } from "./room";
import { checkUpdate, type UpdateLimits } from "./update-guard";

export interface BuiltDocument extends LoadedDocument {
  /** Log entries that could not be applied: to be quarantined, never applied again. */
  setAside: { seq: number; reason: string }[];
}

/**
 * Builds a paper from its snapshot and log. Each log entry is checked against the paper schema
 * and the nesting limit (the checks every new update passes) and applied inside a guard; an entry
 * that fails is set aside and the rest loads. If one throws halfway through applying, the build
 * starts again without it, so no half-applied entry stays in the document. Only the snapshot (the
 * server's own compaction output) failing makes the load fail.
 */
export function buildDocument(stored: StoredDocument, limits: UpdateLimits): BuiltDocument {
  // Stored entries passed their checks when they arrived; only what makes a paper unloadable matters here.
  const loadLimits: UpdateLimits = {
    maxDepth: limits.maxDepth,
    maxItems: Number.POSITIVE_INFINITY,
    maxStringLength: Number.POSITIVE_INFINITY,
    maxPlacementSteps: Number.POSITIVE_INFINITY,
  };
  const skipped = new Map<number, string>();
  for (;;) {
    const doc = new Y.Doc({ gc: true });
    if (stored.snapshot) {
      try {
        Y.applyUpdate(doc, stored.snapshot);
      } catch (error) {
        doc.destroy();
        throw error;
      }
    }
    let restart = false;
    let logBytes = 0;
    // One transaction for the whole log: Yjs cleans up (merges, collects, emits) once, not per entry.
    doc.transact(() => {
      for (const [index, update] of stored.updates.entries()) {
        if (skipped.has(index)) continue;
        const verdict = checkUpdate(doc, update, loadLimits, true);
        if (!verdict.ok) {
          skipped.set(index, verdict.reason);
          continue;
        }
        try {
          Y.applyUpdate(doc, update);
        } catch (error) {
          skipped.set(index, `Failed to apply: ${error instanceof Error ? error.message : String(error)}`);
          restart = true;
          return;
        }
        logBytes += update.byteLength;
      }
    });
    if (restart) {
      doc.destroy();
      continue;
    }
    return {
      doc,
      lastSeq: stored.lastSeq,
      snapshotBytes: stored.snapshot?.byteLength ?? 0,
      logBytes,
      setAside: [...skipped].map(([index, reason]) => ({ seq: stored.seqs[index]!, reason })),
    };
  }
}
