import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import * as Y from "yjs";
import type { StoredDocument } from "../../store/types";
import { causalParts } from "./causal-parts";
import { buildDocument } from "./load";
import type { UpdateLimits } from "./update-guard";

export interface LoadRequest {
  stored: StoredDocument;
  limits: UpdateLimits;
  maxStructsPerPart: number;
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
 * The worker gives way to the main thread, which serves every other paper meanwhile: on Linux a
 * thread has a nice value of its own, found through /proc/thread-self. Elsewhere it keeps the
 * process's priority.
 */
function giveWayToTheMainThread(): void {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 10);
  } catch {
    return;
  }
}

/**
 * Builds a paper off the main thread (the same checks and quarantine as a load on it) and answers
 * with the paper cut into parts the main thread applies a few at a time (decision 179).
 */
giveWayToTheMainThread();
parentPort!.once("message", (request: LoadRequest) => {
  let answer: LoadAnswer;
  try {
    const built = buildDocument(request.stored, request.limits);
    const wholePaper = Y.encodeStateAsUpdate(built.doc);
    let parts: Uint8Array[];
    let unsplit: string | null = null;
    try {
      parts = causalParts(built.doc, request.maxStructsPerPart);
    } catch (error) {
      parts = [wholePaper];
      unsplit = error instanceof Error ? error.message : String(error);
    }
    answer = {
      ok: true,
      parts,
      unsplit,
      stateVector: Y.encodeStateVector(built.doc),
      wholePaper,
      lastSeq: built.lastSeq,
      snapshotBytes: built.snapshotBytes,
      logBytes: built.logBytes,
      setAside: built.setAside,
    };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(answer);
});
