import type { Logger } from "../../logger";
import type { Store } from "../../store/types";
import { loadPaper } from "./load-in-parts";
import { DocumentRoom, type RoomLimits } from "./room";

export class DocumentNotFoundError extends Error {}

/** A load that failed recently: every opener until `retryAt` gets the same failure at once. */
export class LoadBackoffError extends Error {}

/** First wait after a failed load; it doubles with each further failure, up to the maximum. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/**
 * How long a room stays loaded after its last connection leaves. A reconnecting client (or a
 * storm of connect-and-leave) then finds it open, instead of costing a compaction and a reload each time.
 */
const LINGER_MS = 1000;

interface Failure {
  attempts: number;
  retryAt: number;
}

/**
 * One DocumentRoom per document id. Concurrent openers share a single load; a load that throws
 * leaves nothing behind but a note of the failure, which every opener shares until a back-off has
 * passed, so a broken paper is not reloaded by every reconnect.
 */
export class RoomRegistry {
  private readonly loading = new Map<string, { load: Promise<DocumentRoom>; room: DocumentRoom | null }>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, Failure>();
  private readonly lingering = new Map<DocumentRoom, ReturnType<typeof setTimeout>>();
  /** Told of each room as it is loaded (several nodes: it joins the Redis channel of its document). */
  onLoaded: ((room: DocumentRoom) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly limits: RoomLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the loaded room with a reference held for the caller; pair with `release`. */
  async open(docId: string): Promise<DocumentRoom> {
    for (;;) {
      const pendingUnload = this.unloading.get(docId);
      if (pendingUnload) {
        await pendingUnload;
        continue;
      }
      const failure = this.failures.get(docId);
      if (failure && this.now() < failure.retryAt) throw new LoadBackoffError(`Loading ${docId} failed recently`);
      let entry = this.loading.get(docId);
      if (!entry) {
        entry = this.startLoad(docId);
      }
      const room = await entry.load;
      if (room.broken) {
        // Dropped after a failure: the next opener loads a fresh copy from the store.
        if (this.loading.get(docId) === entry) this.loading.delete(docId);
        continue;
      }
      if (room.destroyed) continue;
      const linger = this.lingering.get(room);
      if (linger) {
        clearTimeout(linger);
        this.lingering.delete(room);
      }
      room.references++;
      return room;
    }
  }

  private startLoad(docId: string): { load: Promise<DocumentRoom>; room: DocumentRoom | null } {
    const entry: { load: Promise<DocumentRoom>; room: DocumentRoom | null } = { load: this.load(docId), room: null };
    this.loading.set(docId, entry);
    entry.load.then(
      (room) => {
        entry.room = room;
        this.failures.delete(docId);
      },
      (error) => {
        if (this.loading.get(docId) === entry) this.loading.delete(docId);
        if (error instanceof DocumentNotFoundError) return;
        const attempts = (this.failures.get(docId)?.attempts ?? 0) + 1;
        const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
        this.failures.set(docId, { attempts, retryAt: this.now() + wait });
      },
    );
    return entry;
  }

  release(room: DocumentRoom): void {
    room.references--;
    if (room.references > 0 || room.destroyed || this.lingering.has(room)) return;
    if (room.broken) {
      this.unload(room);
      return;
    }
    const timer = setTimeout(() => {
      this.lingering.delete(room);
      if (room.references === 0 && !room.destroyed) this.unload(room);
    }, LINGER_MS);
    timer.unref();
    this.lingering.set(room, timer);
  }

  private unload(room: DocumentRoom): void {
    if (this.loading.get(room.docId)?.room === room) this.loading.delete(room.docId);
    const unload = room.unload().finally(() => {
      if (this.unloading.get(room.docId) === unload) this.unloading.delete(room.docId);
    });
    this.unloading.set(room.docId, unload);
  }

  /** The room of a document if it is loaded and live, without loading it. */
  async peek(docId: string): Promise<DocumentRoom | undefined> {
    const entry = this.loading.get(docId);
    if (!entry) return undefined;
    const room = await entry.load.catch(() => undefined);
    return room && !room.destroyed && !room.broken ? room : undefined;
  }

  get loadedCount(): number {
    return this.loading.size;
  }

  /** Unloads the rooms nobody has open now and waits for every unload in flight, e.g. before closing the store. */
  async settle(): Promise<void> {
    for (const [room, timer] of this.lingering) {
      clearTimeout(timer);
      this.lingering.delete(room);
      if (room.references === 0 && !room.destroyed) this.unload(room);
    }
    await Promise.all(this.unloading.values());
  }

  private async load(docId: string): Promise<DocumentRoom> {
    const stored = await this.store.loadDocument(docId);
    if (!stored) throw new DocumentNotFoundError(docId);
    const built = await loadPaper(docId, stored, this.limits, this.logger);
    for (const { seq, reason } of built.setAside) {
      await this.store.quarantineUpdate(docId, seq, reason);
      this.logger.error(`Set aside update ${seq} of ${docId}: it could not be applied (${reason})`, undefined);
    }
    const room = new DocumentRoom(docId, this.store, this.logger, this.limits, built);
    this.onLoaded?.(room);
    return room;
  }
}
