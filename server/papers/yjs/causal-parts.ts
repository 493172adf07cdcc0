import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { writeDeleteSet } from "./delete-set-encoding";
import type { DecodedUpdate } from "./update-guard";

/** One client's structs, sorted by clock without gaps: as a document's store keeps them, or as one update carries them. */
type Structs = (Y.Item | Y.GC | Y.Skip)[];
type DeleteSet = DecodedUpdate["ds"];

/**
 * The clocks an item needs before Yjs can place it, as `Item.getMissing` checks them: its left and
 * right origins, or, with neither, the item of the nested type it sits in. A root type is named in
 * the update and needs nothing.
 */
function dependencies(struct: Y.Item | Y.GC | Y.Skip): Y.ID[] {
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

/**
 * The structs of each client between two cuts (indexes into its list), as one Yjs update (v1),
 * followed by `deletes` or else an empty delete set.
 */
function encodeBetween(
  clients: Map<number, Structs>,
  from: Map<number, number>,
  to: Map<number, number>,
  deletes?: DeleteSet,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  // Yjs writes clients in descending order; readers accept any, but the same order keeps updates comparable.
  const ranges = [...to].filter(([client, end]) => end > from.get(client)!).sort(([a], [b]) => b - a);
  encoding.writeVarUint(encoder.restEncoder, ranges.length);
  for (const [client, end] of ranges) {
    const structs = clients.get(client)!;
    const first = from.get(client)!;
    encoding.writeVarUint(encoder.restEncoder, end - first);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[first]!.id.clock);
    for (let index = first; index < end; index++) structs[index]!.write(encoder, 0);
  }
  writeDeleteSet(encoder, deletes?.clients ?? []);
  return encoder.toUint8Array();
}

/** Thrown, while parts are taken, when a struct needs a clock that nothing can give before it. */
export class UncuttableUpdate extends Error {}

/**
 * Cuts structs into updates of at most `maxStructs` structs each (one more when a single struct is
 * larger than the rest), each ending at a consistent cut: every struct in a part needs only clocks
 * the target already has (`knownBefore`), or clocks of earlier parts or of the part itself, so Yjs
 * places it at once and never parks it as pending. `deletes` go with the last part. Each part is
 * cut when it is asked for, so cutting takes no longer at a time than one part. Throws
 * `UncuttableUpdate` when a struct needs a clock that neither the target nor these structs can
 * give first.
 */
function* cutIntoParts(
  clients: Map<number, Structs>,
  knownBefore: (client: number, clock: number) => boolean,
  maxStructs: number,
  deletes?: DeleteSet,
): Generator<Uint8Array, void, undefined> {
  const cut = new Map<number, number>();
  const nextIndex = new Map<number, number>();
  for (const [client, structs] of clients) {
    cut.set(client, structs[0]?.id.clock ?? 0);
    nextIndex.set(client, 0);
  }
  const reached = (client: number, clock: number) => knownBefore(client, clock) || clock < (cut.get(client) ?? 0);
  // Yjs integrates a whole update's clients from the highest id down, turning to a client an item
  // needs and back after each of its structs. The same order here keeps the cost of placing items
  // what it is for the whole update (concurrent inserts at one place are scanned in that order).
  const order = [...clients.keys()].sort((a, b) => a - b);
  const stack: number[] = [];
  let partStart = new Map(nextIndex);
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
        throw new UncuttableUpdate(
          `A struct of client ${current} needs ${missing.client}:${missing.clock}, which cannot come first`,
        );
      stack.push(current);
      current = missing.client;
      continue;
    }
    cut.set(current, struct.id.clock + struct.length);
    nextIndex.set(current, index + 1);
    if (++inPart >= maxStructs) {
      yield encodeBetween(clients, partStart, nextIndex);
      partStart = new Map(nextIndex);
      inPart = 0;
    }
    if (stack.length > 0) current = stack.pop();
  }
  if (inPart > 0 || deletes) yield encodeBetween(clients, partStart, nextIndex, deletes);
}

/**
 * A document as a list of updates that, applied in order to an empty document, rebuild it, each
 * holding at most `maxStructs` structs (one more when a single struct is larger than the rest).
 * Deletions come last, in one part, then whatever the document itself still holds as pending.
 *
 * This is how a large paper is loaded without stopping the server for the whole of it: the parts are
 * built off the main thread and applied there a few at a time (decision 179).
 */
export function causalParts(doc: Y.Doc, maxStructs: number): Uint8Array[] {
  const parts = [...cutIntoParts(doc.store.clients as Map<number, Structs>, () => false, maxStructs)];
  // Every struct and no delete set's worth of structs: the delete set alone.
  parts.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
  // Yjs keeps what it could not place yet in its v2 encoding; the parts are v1, like every update here.
  if (doc.store.pendingStructs) parts.push(Y.convertUpdateFormatV2ToV1(doc.store.pendingStructs.update));
  if (doc.store.pendingDs) parts.push(Y.convertUpdateFormatV2ToV1(doc.store.pendingDs));
  return parts;
}

/**
 * One update (as `Y.decodeUpdate` reads it) as smaller updates that, applied in order to `doc` as
 * they are taken, change it as the whole update would, each placeable at once (see `cutIntoParts`);
 * its deletions come with the last part. Structs the document already has are left out, as Yjs
 * would skip them. Null when the update has a gap or a client's structs out of order: then only
 * Yjs' own handling of the whole update (parking what it cannot place) is right. Taking the parts
 * throws `UncuttableUpdate` when a struct needs what neither the document nor the update holds;
 * applying the whole update then still ends where it would have, since Yjs skips what the parts
 * already brought.
 *
 * This is how a large accepted change is applied without stopping the server for the whole of it
 * (decision 182).
 */
export function updateInParts(doc: Y.Doc, decoded: DecodedUpdate, maxStructs: number): Iterable<Uint8Array> | null {
  const clients = new Map<number, Structs>();
  for (const struct of decoded.structs) {
    // A gap: what follows it waits for clocks nobody sent.
    if (struct instanceof Y.Skip) return null;
    const client = struct.id.client;
    const known = Y.getState(doc.store, client);
    if (struct.id.clock + struct.length <= known) continue;
    let structs = clients.get(client);
    if (!structs) {
      if (struct.id.clock > known) return null;
      structs = [];
      clients.set(client, structs);
    }
    const last = structs.at(-1);
    // Yjs reads a client's structs as one run; a client written twice is no run to cut.
    if (last && last.id.clock + last.length !== struct.id.clock) return null;
    structs.push(struct);
  }
  return cutIntoParts(clients, (client, clock) => clock < Y.getState(doc.store, client), maxStructs, decoded.ds);
}
