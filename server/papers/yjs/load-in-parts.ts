import { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import * as Y from "yjs";
import type { Logger } from "../../logger";
import type { StoredDocument } from "../../store/types";
import { type BuiltDocument, buildDocument } from "./load";
import type { LoadAnswer, LoadRequest } from "./load-worker";
import { type RoomLimits, restAfterSlice, SLICE_MS } from "./room";

/**
 * Up to a few ms of Yjs work each on this 2-core machine (more where concurrent inserts at one place
 * must be scanned), so one part seldom carries a slice of the event loop far past `SLICE_MS`.
 */
const MAX_STRUCTS_PER_PART = 100;

/** From source the worker needs tsx's loader (load-worker.mjs); the compiled server has its own entry beside it. */
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./load-worker.mjs", import.meta.url)
  : new URL("./caucus-load-worker.js", import.meta.url);

/**
 * Load workers at once. After a restart a whole class reconnects to every paper together; one
 * worker per large paper would start dozens of threads on two cores. The rest wait their turn.
 */
const workers = pLimit(2);

/** Load workers running now, and loads waiting for one (for tests and operators alike). */
export const loadWorkers = () => ({ running: workers.activeCount, waiting: workers.pendingCount });

const storedBytes = (stored: StoredDocument) =>
  stored.updates.reduce((total, update) => total + update.byteLength, stored.snapshot?.byteLength ?? 0);

function buildInWorker(request: LoadRequest): Promise<LoadAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    worker.once("message", (answer: LoadAnswer) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`The load worker stopped with code ${code} before answering`)));
    worker.postMessage(request);
  });
}

/**
 * Builds a paper for its room. A small one is built at once. A large one (past
 * `loadInPartsAfterBytes` stored) is built in a worker thread, which answers with the paper in
 * causal parts (server/papers/yjs/causal-parts.ts); here they are applied a few at a time, resting
 * after every `SLICE_MS` of them, so no other paper waits behind the whole load (decision 179).
 */
export async function loadPaper(
  docId: string,
  stored: StoredDocument,
  limits: RoomLimits,
  logger: Logger,
): Promise<BuiltDocument> {
  const bytes = storedBytes(stored);
  if (bytes < limits.loadInPartsAfterBytes) return buildDocument(stored, limits.update);
  const started = performance.now();
  const answer = await workers(() =>
    buildInWorker({ stored, limits: limits.update, maxStructsPerPart: MAX_STRUCTS_PER_PART }),
  );
  if (!answer.ok) throw new Error(answer.message);
  if (answer.unsplit)
    logger.error(`${docId} could not be cut into parts (${answer.unsplit}); it loads in one piece`, undefined);
  const built = performance.now();
  const doc = new Y.Doc({ gc: true });
  let sliceStart = performance.now();
  for (const part of answer.parts) {
    Y.applyUpdate(doc, part);
    if (performance.now() - sliceStart > SLICE_MS) {
      await restAfterSlice();
      sliceStart = performance.now();
    }
  }
  if (!Buffer.from(Y.encodeStateVector(doc)).equals(answer.stateVector)) {
    // A safety net, not a path: the parts should always rebuild the paper. Correct beats fast here.
    doc.destroy();
    logger.error(`The parts of ${docId} did not rebuild it; building it whole on the main thread`, undefined);
    return buildDocument(stored, limits.update);
  }
  logger.info(
    `Loaded ${docId} (${bytes} bytes stored) in ${answer.parts.length} parts: ` +
      `${Math.round(built - started)} ms in the worker, ${Math.round(performance.now() - built)} ms applying`,
  );
  const { lastSeq, snapshotBytes, logBytes, setAside, wholePaper } = answer;
  return { doc, lastSeq, snapshotBytes, logBytes, setAside, wholePaper };
}
