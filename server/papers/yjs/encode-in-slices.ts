import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { writeDeleteSet } from "./delete-set-encoding";

/** How many structs are written between two looks at the clock: reading it costs more than writing one. */
const STRUCTS_BETWEEN_CLOCK_READS = 64;

export interface Slicing {
  /** Longest stretch of work before a rest. */
  sliceMs: number;
  /** Hands the event loop back between slices. */
  rest: () => Promise<void>;
}

/**
 * What `Y.encodeStateAsUpdate(doc, targetStateVector)` returns, byte for byte, written in slices
 * with rests between them (decision 185): encoding a large paper whole held every other paper
 * 23–56 ms at 1.1 MB and over 100 ms at 9.5 MB.
 *
 * The caller keeps the document still while it rests (a room encodes inside its own queue). Should
 * it change anyway (another node's update), or hold structs Yjs parked as pending, the rest is
 * encoded in one piece, as Yjs does it: the result is always the document as it is on return.
 */
export async function encodeStateAsUpdateInSlices(
  doc: Y.Doc,
  slicing: Slicing,
  targetStateVector?: Uint8Array,
): Promise<Uint8Array> {
  const encodeWhole = () => Y.encodeStateAsUpdate(doc, targetStateVector);
  const store = doc.store;
  if (store.pendingStructs || store.pendingDs) return encodeWhole();
  const known = targetStateVector ? Y.decodeStateVector(targetStateVector) : new Map<number, number>();
  let changed = false;
  const noteChange = () => {
    changed = true;
  };
  doc.on("update", noteChange);
  try {
    let sliceStart = performance.now();
    let sinceClockRead = 0;
    // Checked after every struct, without a promise each time: only a due rest awaits.
    const restDue = (): boolean => {
      if (++sinceClockRead < STRUCTS_BETWEEN_CLOCK_READS) return false;
      sinceClockRead = 0;
      return performance.now() - sliceStart > slicing.sliceMs;
    };
    /** False when the document changed during the rest: the caller then encodes it whole. */
    const rest = async (): Promise<boolean> => {
      await slicing.rest();
      sliceStart = performance.now();
      return !changed;
    };
    const encoder = new Y.UpdateEncoderV1();
    // Yjs writes clients, and their deletions, in descending order of client id.
    const clients = [...store.clients.keys()].sort((a, b) => b - a);
    const written = clients.filter((client) => Y.getState(store, client) > (known.get(client) ?? 0));
    encoding.writeVarUint(encoder.restEncoder, written.length);
    for (const client of written) {
      const structs = store.clients.get(client)!;
      const clock = Math.max(known.get(client) ?? 0, structs[0]!.id.clock);
      const first = Y.findIndexSS(structs, clock);
      encoding.writeVarUint(encoder.restEncoder, structs.length - first);
      encoder.writeClient(client);
      encoding.writeVarUint(encoder.restEncoder, clock);
      structs[first]!.write(encoder, clock - structs[first]!.id.clock);
      for (let index = first + 1; index < structs.length; index++) {
        structs[index]!.write(encoder, 0);
        if (restDue() && !(await rest())) return encodeWhole();
      }
    }
    // The delete set covers the whole document, whatever the target knows, as Yjs writes it.
    const deletes: [client: number, ranges: { clock: number; len: number }[]][] = [];
    for (const client of clients) {
      const ranges: { clock: number; len: number }[] = [];
      for (const struct of store.clients.get(client)!) {
        if (struct.deleted) {
          const last = ranges.at(-1);
          // Adjacent deleted structs make one range, as in Yjs' own delete set.
          if (last && last.clock + last.len === struct.id.clock) last.len += struct.length;
          else ranges.push({ clock: struct.id.clock, len: struct.length });
        }
        if (restDue() && !(await rest())) return encodeWhole();
      }
      if (ranges.length > 0) deletes.push([client, ranges]);
    }
    writeDeleteSet(encoder, deletes);
    return encoder.toUint8Array();
  } finally {
    doc.off("update", noteChange);
  }
}
