import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { PAPER_ELEMENT_ATTRIBUTES, PAPER_MARKS } from "../../../shared/papers/paper-schema";
import { PAPER_FRAGMENT } from "../../../shared/wire/protocol";

/** Limits on one update (each a setting, server/config.ts). */
export interface UpdateLimits {
  /** Deepest element nesting below the paper's fragment (a top-level paragraph is at depth 1). */
  maxDepth: number;
  /** Most structs one update may carry. */
  maxItems: number;
  /** Longest string one item or attribute may hold, in UTF-16 code units. */
  maxStringLength: number;
  /**
   * Most items of the paper Yjs may have to pass over to place one update's new items among the
   * ones between their neighbours (its conflict scan, decision 189).
   */
  maxPlacementSteps: number;
}

/** What one update did to a paper, in characters, for the per-student contribution counts. */
export interface UpdateEffect {
  inserted: number;
  deleted: number;
  /** False when the update carries nothing at all (e.g. an empty sync step 2). */
  changesSomething: boolean;
  /**
   * Content bytes the update adds minus the live content it deletes, roughly what it changes in
   * the compacted paper. Zero or less: the paper does not grow, and the size limit never refuses it.
   */
  netGrowth: number;
  /** Items of the paper Yjs passes over to place the update's new items (decision 189). */
  placementSteps: number;
}

export type RefusalKind = "malformed" | "schema" | "limit" | "missingDependencies";

/** An update as `Y.decodeUpdate` reads it: its structs and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

type Refused = { ok: false; kind: RefusalKind; reason: string };

/** An accepted update comes with what it does and with its decoding, so applying it in parts need not decode it again. */
export type UpdateVerdict = { ok: true; effect: UpdateEffect; decoded: DecodedUpdate } | Refused;

/** Where an item sits: inside which kind of node, how deep. "collected": its parent was garbage collected. */
type Place =
  | { kind: "fragment"; depth: 0 }
  | { kind: "element"; name: string; depth: number }
  | { kind: "text"; depth: number }
  | { kind: "collected" }
  | { kind: "missing" };

class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The first client's struct count sits in the update's header (y-protocols writes V1 updates), so
 * an update with too many structs is refused before it is decoded at all.
 */
function firstStructCount(update: Uint8Array): number {
  const decoder = decoding.createDecoder(update);
  const clients = decoding.readVarUint(decoder);
  return clients === 0 ? 0 : decoding.readVarUint(decoder);
}

function contentBytes(content: Y.Item["content"]): number {
  if (content instanceof Y.ContentString) return content.str.length;
  if (content instanceof Y.ContentDeleted) return 0;
  if (content instanceof Y.ContentType) return 8;
  if (content instanceof Y.ContentFormat) return content.key.length + JSON.stringify(content.value ?? null).length;
  if (content instanceof Y.ContentAny) return JSON.stringify(content.arr).length;
  return content.getLength() * 8;
}

/** Nesting of a type in the live document, counted upwards without recursion and never past `cap`. */
function placeOfType(type: Y.AbstractType<unknown>, cap: number): Place {
  let depth = 0;
  let walker: Y.AbstractType<unknown> | null = type;
  while (walker?._item) {
    depth++;
    if (depth > cap) break;
    const parent: unknown = walker._item.parent;
    walker = parent instanceof Y.AbstractType ? parent : null;
  }
  if (type._item === null) {
    return type.doc && Y.findRootTypeKey(type) === PAPER_FRAGMENT
      ? { kind: "fragment", depth: 0 }
      : { kind: "missing" };
  }
  if (type instanceof Y.XmlElement) return { kind: "element", name: type.nodeName, depth };
  if (type instanceof Y.XmlText) return { kind: "text", depth };
  throw new Refusal("schema", "The paper holds only paragraphs, headings, lists and argument blocks");
}

function isPrimitive(value: unknown, maxStringLength: number): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && value.length <= maxStringLength;
}

/**
 * Checks an update against the live document without changing it: decodes it, resolves where
 * each new item goes (in the update itself or in the document), and refuses it when it would
 * break the paper schema (docs/protocol.md), exceed a limit, or depend on changes the document
 * does not have. Every walk is iterative with memoised places, so a hostile nesting cannot
 * overflow the stack here, and the depth limit keeps Yjs' own recursive walks shallow later.
 * With `lenient` (loading stored entries), missing dependencies are let through as Yjs would.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, limits: UpdateLimits, lenient = false): UpdateVerdict {
  const read = decodeWithinLimits(update, limits);
  if (!read.ok) return read;
  const verdict = checkDecoded(doc, read.decoded, limits, lenient);
  return verdict.ok ? { ...verdict, decoded: read.decoded } : verdict;
}

/**
 * The first half of `checkUpdate`: decodes an update, refusing it when it is malformed or holds
 * more structs than the limit. The room rests between the halves for a large update (decision 182).
 */
export function decodeWithinLimits(
  update: Uint8Array,
  limits: UpdateLimits,
): { ok: true; decoded: DecodedUpdate } | Refused {
  try {
    if (firstStructCount(update) > limits.maxItems) throw tooManyItems(limits);
    const decoded = Y.decodeUpdate(update);
    if (decoded.structs.length > limits.maxItems) throw tooManyItems(limits);
    return { ok: true, decoded };
  } catch (error) {
    return refusalOf(error);
  }
}

/** The second half of `checkUpdate`: checks a decoded update against the live document. */
export function checkDecoded(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  limits: UpdateLimits,
  lenient = false,
): { ok: true; effect: UpdateEffect } | Refused {
  try {
    return { ok: true, effect: inspect(doc, decoded, limits, lenient) };
  } catch (error) {
    return refusalOf(error);
  }
}

const tooManyItems = (limits: UpdateLimits) =>
  new Refusal("limit", `One change may hold at most ${limits.maxItems} items`);

function refusalOf(error: unknown): Refused {
  if (error instanceof Refusal) return { ok: false, kind: error.kind, reason: error.message };
  return { ok: false, kind: "malformed", reason: "Invalid Yjs update" };
}

function inspect(doc: Y.Doc, { structs, ds }: DecodedUpdate, limits: UpdateLimits, lenient: boolean): UpdateEffect {
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  const known = new Map<number, number>();
  for (const struct of structs) {
    const client = struct.id.client;
    let list = byClient.get(client);
    if (!list) {
      list = [];
      byClient.set(client, list);
      known.set(client, Y.getState(doc.store, client));
    }
    list.push(struct);
    const reach = known.get(client)!;
    if (struct.id.clock > reach && !lenient) {
      throw new Refusal("missingDependencies", "This change depends on changes the server does not have");
    }
    if (!(struct instanceof Y.Skip)) known.set(client, Math.max(reach, struct.id.clock + struct.length));
  }

  const findInUpdate = (id: Y.ID): Y.Item | Y.GC | Y.Skip | undefined => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle]!;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return undefined;
  };

  const places = new Map<Y.Item, Place>();
  const nodePlace = (type: Y.AbstractType<unknown>, outer: Place): Place => {
    if (outer.kind === "collected" || outer.kind === "missing") return outer;
    const depth = outer.depth + 1;
    if (type instanceof Y.XmlElement) return { kind: "element", name: type.nodeName, depth };
    if (type instanceof Y.XmlText) return { kind: "text", depth };
    throw new Refusal("schema", "The paper holds only paragraphs, headings, lists and argument blocks");
  };
  const collected: Place = { kind: "collected" };
  const missing: Place = { kind: "missing" };
  /** The place of content inside an existing node of the document. */
  const insideDocumentNode = (id: Y.ID): Place => {
    const struct = documentStruct(doc, id);
    if (!struct) return missing;
    if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted) return collected;
    if (!(struct.content instanceof Y.ContentType)) {
      throw new Refusal("schema", "A change puts content inside something that is not a node");
    }
    return placeOfType(struct.content.type, limits.maxDepth);
  };
  /** The place of an existing item of the document, which a new item was inserted next to. */
  const besideDocumentItem = (id: Y.ID): Place => {
    const struct = documentStruct(doc, id);
    if (!struct) return missing;
    if (!(struct instanceof Y.Item) || !(struct.parent instanceof Y.AbstractType)) return collected;
    return placeOfType(struct.parent, limits.maxDepth);
  };

  /**
   * An item's place, from its explicit parent or else from the item it was inserted next to. The
   * chain of such references is followed in a loop and settled backwards, each place remembered.
   */
  const placeOf = (start: Y.Item): Place => {
    const chain: { item: Y.Item; inside: Y.AbstractType<unknown> | null }[] = [];
    const visiting = new Set<Y.Item>();
    let item = start;
    let nesting = 0;
    let terminal: Place;
    for (;;) {
      const cached = places.get(item);
      if (cached) {
        terminal = cached;
        break;
      }
      if (visiting.has(item)) throw new Refusal("malformed", "Items of a change refer to each other in a circle");
      visiting.add(item);
      const parent = item.parent as unknown;
      let next: Y.Item | null = null;
      let inside: Y.AbstractType<unknown> | null = null;
      let found: Place | null = null;
      if (typeof parent === "string") {
        if (parent !== PAPER_FRAGMENT) throw new Refusal("schema", "A paper holds only its text");
        found = { kind: "fragment", depth: 0 };
      } else if (parent instanceof Y.ID) {
        const container = findInUpdate(parent);
        if (container instanceof Y.Item) {
          if (!(container.content instanceof Y.ContentType)) {
            throw new Refusal("schema", "A change puts content inside something that is not a node");
          }
          nesting++;
          if (nesting > limits.maxDepth) {
            throw new Refusal("limit", `The paper may nest at most ${limits.maxDepth} levels deep`);
          }
          next = container;
          inside = container.content.type;
        } else if (container) found = container instanceof Y.GC ? collected : missing;
        else found = insideDocumentNode(parent);
      } else {
        const neighbour = item.origin ?? item.rightOrigin;
        if (!neighbour) throw new Refusal("malformed", "An item without a place");
        const beside = findInUpdate(neighbour);
        if (beside instanceof Y.Item) next = beside;
        else if (beside) found = beside instanceof Y.GC ? collected : missing;
        else found = besideDocumentItem(neighbour);
      }
      chain.push({ item, inside });
      if (found) {
        terminal = found;
        break;
      }
      item = next!;
    }
    let place = terminal;
    for (let index = chain.length - 1; index >= 0; index--) {
      const { item: link, inside } = chain[index]!;
      if (inside) place = nodePlace(inside, place);
      places.set(link, place);
    }
    return places.get(start) ?? place;
  };

  const inUpdate = (id: Y.ID): boolean => findInUpdate(id) !== undefined;
  let inserted = 0;
  let growth = 0;
  let fresh = 0;
  let selfDeleted = 0;
  let placementSteps = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Already in the document (a sync step 2 that overlaps): Yjs skips it, so it neither counts nor grows.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    fresh++;
    const place = placeOf(struct);
    checkItem(struct, place, limits, lenient);
    // Stored entries were placed once already: loading pays for them in parts (decision 179).
    if (!lenient) placementSteps += stepsToPlace(doc, struct, inUpdate, limits.maxPlacementSteps - placementSteps);
    if (struct.content instanceof Y.ContentString) inserted += struct.length;
    if (!Y.isDeleted(ds, struct.id)) growth += contentBytes(struct.content);
    else if (struct.content instanceof Y.ContentString) selfDeleted += struct.length;
  }

  // A sync step 2 carries the sender's whole delete set: only what is still live here counts.
  let deleted = selfDeleted;
  let freed = 0;
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      const live = liveContentIn(doc, client, range.clock, range.len);
      deleted += live.units;
      freed += live.bytes;
    }
  }
  return {
    inserted,
    deleted,
    changesSomething: fresh > 0 || deleted > 0,
    netGrowth: growth - freed,
    placementSteps,
  };
}

/**
 * How many items of the document lie between the neighbours a new list item names: Yjs passes over
 * each of them to order it among concurrent insertions (YATA), in one piece of work. A client's
 * edit names neighbours that are next to each other, or a few concurrent insertions apart; an
 * update made on an empty copy, placed "before everything, after nothing", names neighbours a
 * whole list apart: 30 bytes that held the server 40–80 ms in a paper of 16,000 paragraphs, and
 * eight times that at its size limit (decision 189). Items beside items of the same update are
 * placed after those, which are counted. Past `budget` the update is refused.
 */
function stepsToPlace(doc: Y.Doc, item: Y.Item, inUpdate: (id: Y.ID) => boolean, budget: number): number {
  // A map entry (an attribute) goes at the end of its key's short history, not among list items.
  if (item.parentSub !== null) return 0;
  const { origin, rightOrigin } = item;
  if ((origin && inUpdate(origin)) || (rightOrigin && inUpdate(rightOrigin))) return 0;
  const known = (id: Y.ID): Y.Item | null => {
    const struct = documentStruct(doc, id);
    return struct instanceof Y.Item ? struct : null;
  };
  const right = rightOrigin ? known(rightOrigin) : null;
  if (rightOrigin && !right) return 0;
  let next: Y.Item | null;
  if (origin) {
    const left = known(origin);
    if (!left) return 0;
    next = left.right;
  } else {
    const first = right ? startOf(right.parent) : startOfParent(doc, item.parent, inUpdate);
    if (first === undefined) return 0;
    next = first;
  }
  let steps = 0;
  for (; next !== null && next !== right; next = next.right) {
    if (++steps > budget) {
      throw new Refusal("limit", "This change was made on a copy of the paper too far from it as it is");
    }
  }
  return steps;
}

/** The struct of the document holding `id` (an item, or what collection left of one); null when the document lacks it. */
function documentStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/** The first item of a list type; undefined when `type` is not one. */
const startOf = (type: unknown): Y.Item | null | undefined =>
  type instanceof Y.AbstractType ? type._start : undefined;

/** The first item of the list an item names as its parent: the paper's fragment, or a node already in the document. */
function startOfParent(doc: Y.Doc, parent: unknown, inUpdate: (id: Y.ID) => boolean): Y.Item | null | undefined {
  if (typeof parent === "string") return startOf(doc.share.get(parent));
  if (!(parent instanceof Y.ID) || inUpdate(parent)) return undefined;
  const node = documentStruct(doc, parent);
  return node instanceof Y.Item && node.content instanceof Y.ContentType ? startOf(node.content.type) : undefined;
}

function checkItem(item: Y.Item, place: Place, limits: UpdateLimits, lenient: boolean): void {
  const content = item.content;
  if (content instanceof Y.ContentDeleted || place.kind === "collected") return;
  if (place.kind === "missing") {
    if (lenient) return;
    throw new Refusal("missingDependencies", "This change depends on changes the server does not have");
  }
  const key = item.parentSub;
  if (place.kind === "element" && key !== null) {
    const allowed = PAPER_ELEMENT_ATTRIBUTES[place.name] ?? [];
    if (!allowed.includes(key)) throw new Refusal("schema", `A ${place.name} has no attribute "${key}"`);
    if (
      !(content instanceof Y.ContentAny) ||
      !content.arr.every((value) => isPrimitive(value, limits.maxStringLength))
    ) {
      throw new Refusal("schema", `The attribute "${key}" must be a short text or number`);
    }
    return;
  }
  if (key !== null) throw new Refusal("schema", "A paper holds only its text");
  if (place.kind === "text") {
    if (content instanceof Y.ContentString) {
      if (content.str.length > limits.maxStringLength) {
        throw new Refusal("limit", `One piece of text may hold at most ${limits.maxStringLength} characters`);
      }
      return;
    }
    if (content instanceof Y.ContentFormat) {
      if (!PAPER_MARKS.has(content.key.split("--")[0]!)) throw new Refusal("schema", `No formatting "${content.key}"`);
      if (JSON.stringify(content.value ?? null).length > limits.maxStringLength) {
        throw new Refusal("limit", "Formatting too large");
      }
      return;
    }
    throw new Refusal("schema", "Text holds only characters and formatting");
  }
  if (!(content instanceof Y.ContentType)) throw new Refusal("schema", "A paper holds only its text");
  const type = content.type;
  if (type instanceof Y.XmlElement) {
    if (!(type.nodeName in PAPER_ELEMENT_ATTRIBUTES)) throw new Refusal("schema", `No element "${type.nodeName}"`);
  } else if (!(type instanceof Y.XmlText)) {
    throw new Refusal("schema", "The paper holds only paragraphs, headings, lists and argument blocks");
  }
  if (place.depth + 1 > limits.maxDepth) {
    throw new Refusal("limit", `The paper may nest at most ${limits.maxDepth} levels deep`);
  }
}

/** Live (not yet deleted) content in a clock range of the document: clock units, and the bytes deleting it frees. */
function liveContentIn(doc: Y.Doc, client: number, clock: number, length: number): { units: number; bytes: number } {
  const structs = doc.store.clients.get(client);
  const end = Math.min(clock + length, Y.getState(doc.store, client));
  if (!structs || clock >= end) return { units: 0, bytes: 0 };
  let units = 0;
  let bytes = 0;
  for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
    const struct = structs[index]!;
    if (struct.id.clock >= end) break;
    if (!(struct instanceof Y.Item) || struct.deleted) continue;
    const overlap = Math.min(end, struct.id.clock + struct.length) - Math.max(clock, struct.id.clock);
    units += overlap;
    bytes += (contentBytes(struct.content) * overlap) / struct.length;
  }
  return { units, bytes };
}
