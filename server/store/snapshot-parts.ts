/**
 * A paper's snapshot is stored as parts of at most this many bytes (decision 188). The parts of a
 * large snapshot are written one per transaction, with other work between them, then switched to
 * in one small transaction: one 8 MB row held the event loop 58–100 ms while SQLite wrote it, a
 * 256 KiB part 2–4 ms.
 */
export const SNAPSHOT_PART_BYTES = 256 * 1024;

/** The snapshot cut into parts, as views of its bytes; an empty snapshot is one empty part. */
export function snapshotParts(snapshot: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let start = 0; start < snapshot.byteLength || parts.length === 0; start += SNAPSHOT_PART_BYTES) {
    parts.push(snapshot.subarray(start, start + SNAPSHOT_PART_BYTES));
  }
  return parts;
}

/** The parts of one generation, in order, joined back into the snapshot. */
export function joinSnapshotParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return new Uint8Array(parts[0]!);
  const snapshot = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    snapshot.set(part, offset);
    offset += part.byteLength;
  }
  return snapshot;
}

/** A turn of the event loop between two parts, so every other paper's traffic goes first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
