import type { Logger } from "../logger";
import type { Store } from "../store/types";
import { DocumentRoom, type RoomLimits } from "./room";

export class DocumentNotFoundError extends Error {}

/**
 * One DocumentRoom per document id. Concurrent openers share a single load; a load that throws
 * leaves nothing behind, so the next connection simply tries again.
 */
export class RoomRegistry {
  private readonly loading = new Map<string, Promise<DocumentRoom>>();
  private readonly unloading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly limits: RoomLimits,
  ) {}

  /** Returns the loaded room with a reference held for the caller; pair with `release`. */
  async open(docId: string): Promise<DocumentRoom> {
    for (;;) {
      const pendingUnload = this.unloading.get(docId);
      if (pendingUnload) {
        await pendingUnload;
        continue;
      }
      let load = this.loading.get(docId);
      if (!load) {
        load = this.load(docId);
        this.loading.set(docId, load);
        const started = load;
        started.catch(() => {
          if (this.loading.get(docId) === started) this.loading.delete(docId);
        });
      }
      const room = await load;
      if (room.destroyed) continue;
      room.references++;
      return room;
    }
  }

  release(room: DocumentRoom): void {
    room.references--;
    if (room.references > 0 || room.destroyed) return;
    this.loading.delete(room.docId);
    const unload = room.unload().finally(() => this.unloading.delete(room.docId));
    this.unloading.set(room.docId, unload);
  }

  /** The room of a document if it is loaded and live, without loading it. */
  async peek(docId: string): Promise<DocumentRoom | undefined> {
    const load = this.loading.get(docId);
    if (!load) return undefined;
    const room = await load.catch(() => undefined);
    return room && !room.destroyed ? room : undefined;
  }

  get loadedCount(): number {
    return this.loading.size;
  }

  /** Waits for every unload in flight, e.g. before closing the store. */
  async settle(): Promise<void> {
    await Promise.all(this.unloading.values());
  }

  private async load(docId: string): Promise<DocumentRoom> {
    const stored = await this.store.loadDocument(docId);
    if (!stored) throw new DocumentNotFoundError(docId);
    return new DocumentRoom(docId, this.store, this.logger, this.limits, stored);
  }
}
