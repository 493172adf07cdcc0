import * as encoding from "lib0/encoding";
import type * as Y from "yjs";

/** A client's deleted ranges, as a Yjs delete set holds them. */
export type DeletedRanges = readonly { clock: number; len: number }[];

/** Writes a delete set (v1) as Yjs does: clients in descending order of id, each with its ranges. */
export function writeDeleteSet(encoder: Y.UpdateEncoderV1, clients: Iterable<[client: number, DeletedRanges]>): void {
  const sorted = [...clients].sort(([a], [b]) => b - a);
  encoding.writeVarUint(encoder.restEncoder, sorted.length);
  for (const [client, ranges] of sorted) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoder.writeDsClock(range.clock);
      encoder.writeDsLen(range.len);
    }
  }
}
