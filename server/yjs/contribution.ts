import * as Y from "yjs";

/** What one update did to a paper, in characters, for the per-student contribution counts. */
export interface UpdateEffect {
  inserted: number;
  deleted: number;
  /** False when the update carries nothing at all (e.g. an empty sync step 2). */
  changesSomething: boolean;
}

/**
 * Reads an update's structs and delete set. Throws on a malformed update, which is how the room
 * keeps garbage out of the durable log. Deleted counts are clock units: one per character of text,
 * one per deleted element.
 */
export function measureUpdate(update: Uint8Array): UpdateEffect {
  const { structs, ds } = Y.decodeUpdate(update);
  let inserted = 0;
  for (const struct of structs) {
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) inserted += struct.length;
  }
  let deleted = 0;
  for (const items of ds.clients.values()) {
    for (const item of items) deleted += item.len;
  }
  return { inserted, deleted, changesSomething: structs.length > 0 || deleted > 0 };
}
