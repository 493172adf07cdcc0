import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** One client's structs as Yjs keeps them: sorted by clock, without gaps. */
type Structs = (Y.Item | Y.GC)[];

/**
 * The clocks an item needs before Yjs can place it, as `Item.getMissing` checks them: its left and
 * right origins, or, with neither, the item of the nested type it sits in. A root type is named in
 * the update and needs nothing.
 */
function dependencies(struct: Y.Item | Y.GC): Y.ID[] {
  if (!(struct instanceof Y.Item)) return [];
  const needed: Y.ID[] = [];
  if (struct.origin) needed.push(struct.origin);
  if (struct.rightOrigin) needed.push(struct.rightOrigin);
  if (!struct.origin && !struct.rightOrigin) {
    const parent = struct.parent;
    if (parent instanceof Y.ID) needed.push(parent);
    else if (parent instanceof Y.AbstractType && parent._item) needed.push(parent._item.id);
  }
  return needed.filter((id) => id.client !== struct.id.client);
}

/** The structs of each client between two cuts, as one Yjs update (v1) with an empty delete set. */
function encodeBetween(clients: Map<number, Structs>, from: Map<number, number>, to: Map<number, number>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  // Yjs writes clients in descending order; readers accept any, but the same order keeps updates comparable.
  const ranges = [...to].filter(([client, end]) => end > (from.get(client) ?? 0)).sort(([a], [b]) => b - a);
  encoding.writeVarUint(encoder.restEncoder, ranges.length);
  for (const [client, end] of ranges) {
    const structs = clients.get(client)!;
    const start = from.get(client) ?? 0;
    const first = Y.findIndexSS(structs, start);
    const last = Y.findIndexSS(structs, end - 1);
    encoding.writeVarUint(encoder.restEncoder, last - first + 1);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, start);
    for (let index = first; index <= last; index++) structs[index]!.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/**
 * A document as a list of updates that, applied in order to an empty document, rebuild it, each
 * holding at most `maxStructs` structs (one more when a single struct is larger than the rest).
 * Every part ends at a consistent cut: each struct in it needs only clocks of earlier parts or of
 * the part itself, so Yjs places it at once and never parks it as pending. Deletions come last, in
 * one part, then whatever the document itself still holds as pending.
 *
 * This is how a large paper is loaded without stopping the server for the whole of it: the parts are
 * built off the main thread and applied there a few at a time (decision 179).
 */
export function causalParts(doc: Y.Doc, maxStructs: number): Uint8Array[] {
  const clients = doc.store.clients as Map<number, Structs>;
  const cut = new Map<number, number>();
  const nextIndex = new Map<number, number>();
  for (const client of clients.keys()) {
    cut.set(client, 0);
    nextIndex.set(client, 0);
  }
  const reached = (client: number, clock: number) => clock < (cut.get(client) ?? 0);
  // Yjs integrates a whole update's clients from the highest id down, turning to a client an item
  // needs and back after each of its structs. The same order here keeps the cost of placing items
  // what it is for the whole update (concurrent inserts at one place are scanned in that order).
  const order = [...clients.keys()].sort((a, b) => a - b);
  const stack: number[] = [];
  const parts: Uint8Array[] = [];
  let partStart = new Map(cut);
  let inPart = 0;
  let current = order.pop();
  while (current !== undefined) {
    const structs = clients.get(current)!;
    const index = nextIndex.get(current)!;
    if (index >= structs.length) {
      current = stack.pop() ?? order.pop();
      continue;
    }
    const struct = structs[index]!;
    const missing = dependencies(struct).find((id) => !reached(id.client, id.clock));
    if (missing) {
      const holder = clients.get(missing.client);
      if (!holder || nextIndex.get(missing.client)! >= holder.length || stack.includes(missing.client))
        throw new Error(
          `A struct of client ${current} needs ${missing.client}:${missing.clock}, which cannot come first`,
        );
      stack.push(current);
      current = missing.client;
      continue;
    }
    cut.set(current, struct.id.clock + struct.length);
    nextIndex.set(current, index + 1);
    if (++inPart >= maxStructs) {
      parts.push(encodeBetween(clients, partStart, cut));
      partStart = new Map(cut);
      inPart = 0;
    }
    if (stack.length > 0) current = stack.pop();
  }
  if (inPart > 0) parts.push(encodeBetween(clients, partStart, cut));
  // Every struct and no delete set's worth of structs: the delete set alone.
  parts.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
  // Yjs keeps what it could not place yet in its v2 encoding; the parts are v1, like every update here.
  if (doc.store.pendingStructs) parts.push(Y.convertUpdateFormatV2ToV1(doc.store.pendingStructs.update));
  if (doc.store.pendingDs) parts.push(Y.convertUpdateFormatV2ToV1(doc.store.pendingDs));
  return parts;
}
