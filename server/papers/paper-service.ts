import * as Y from "yjs";
import { paperDocumentId } from "../../shared/papers/documents";
import { newId } from "../ids";
import type { PaperSnapshotRecord, Store } from "../store/types";
import type { YjsEndpoint } from "./yjs/endpoint";

export interface PaperService {
  /**
   * Locks a team's paper: from now on only the instructor can change it, every open connection is
   * told at once, and an immutable snapshot named `snapshotName` records the paper as it stood.
   */
  lock(teamId: string, snapshotName: string, reason?: string): Promise<PaperSnapshotRecord>;
  unlock(teamId: string): Promise<void>;
  /** The paper's current full state as one Yjs update, from memory if it is open, else from the store. */
  currentState(teamId: string): Promise<Uint8Array>;
}

export function createPaperService(store: Store, yjs: YjsEndpoint): PaperService {
  async function currentState(teamId: string): Promise<Uint8Array> {
    const docId = paperDocumentId(teamId);
    const room = await yjs.registry.peek(docId);
    if (room) return room.wholeState();
    const stored = await store.loadDocument(docId);
    if (!stored) throw new Error(`No paper for team ${teamId}`);
    // A paper left alone was folded into its snapshot when its room unloaded.
    if (stored.snapshot && stored.updates.length === 0) return stored.snapshot;
    return Y.mergeUpdates([...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]);
  }

  return {
    currentState,
    async lock(teamId, snapshotName, reason) {
      await store.setPaperLocked(teamId, true, reason ?? null);
      // Cut writers over to read-only first, so nothing a student sends after the lock gets in.
      await yjs.refreshAccess(paperDocumentId(teamId));
      const snapshot: PaperSnapshotRecord = {
        id: newId(),
        teamId,
        name: snapshotName,
        state: await currentState(teamId),
        createdAt: Date.now(),
      };
      await store.addPaperSnapshot(snapshot);
      return snapshot;
    },
    async unlock(teamId) {
      await store.setPaperLocked(teamId, false);
      await yjs.refreshAccess(paperDocumentId(teamId));
    },
  };
}
