import { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import type { StoredDocument } from "../../store/types";
import type { UpdateLimits } from "./update-guard";

/** From source the worker needs tsx's loader (load-worker.mjs); the compiled server has its own entry beside it. */
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./load-worker.mjs", import.meta.url)
  : new URL("./caucus-load-worker.js", import.meta.url);

export interface LoadRequest {
  stored: StoredDocument;
  limits: UpdateLimits;
  /** Null: only the whole paper's encoding is wanted (a compaction), no parts. */
  maxStructsPerPart: number | null;
}

export type LoadAnswer =
  | {
      ok: true;
      parts: Uint8Array[];
      /** Set when the paper could not be cut into parts: then `parts` holds it whole, and why is logged. */
      unsplit: string | null;
      /** What the parts must rebuild, checked once they are applied. */
      stateVector: Uint8Array;
      /** The whole paper's encoding, which the room keeps for newcomers instead of encoding it again. */
      wholePaper: Uint8Array;
      lastSeq: number;
      snapshotBytes: number;
      logBytes: number;
      setAside: { seq: number; reason: string }[];
    }
  | { ok: false; message: string };

/**
 * Build workers at once. After a restart a whole class reconnects to every paper together; one
 * worker per large paper would start dozens of threads on two cores. The rest wait their turn.
 */
const workers = pLimit(2);

/** Build workers running now, and builds waiting for one (for tests and operators alike). */
export const loadWorkers = () => ({ running: workers.activeCount, waiting: workers.pendingCount });

/**
 * Builds a paper from what the store holds in a worker thread of its own, with the same checks
 * and quarantine as a build on the main thread (server/papers/yjs/load-worker.ts).
 */
export function buildInWorker(request: LoadRequest): Promise<LoadAnswer> {
  return workers(
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker(WORKER_URL);
        worker.once("message", (answer: LoadAnswer) => {
          resolve(answer);
          void worker.terminate();
        });
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`The load worker stopped with code ${code} before answering`)));
        worker.postMessage(request);
      }),
  );
}
