import { isChangeOrigin } from "@tiptap/extension-collaboration";
import type { NodeType, Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { Mapping } from "@tiptap/pm/transform";
import { ArgumentAttribute, newArgumentId } from "../../../shared/papers/paper-schema";

interface Located {
  id: string | null;
  pos: number;
}

function argumentsIn(doc: ProseMirrorNode, type: NodeType): Located[] {
  const found: Located[] = [];
  doc.descendants((node, pos) => {
    if (node.type === type) {
      found.push({ id: node.attrs[ArgumentAttribute.id] || null, pos });
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

/**
 * Keeps every argument id present and unique after each local change. A pasted or duplicated
 * block arrives with the id of the block it copies; the block that already had the id before the
 * change keeps it (found by mapping its old position), wherever the copy lands, so scores and
 * comments stay on the original. A cut-and-paste (a move) keeps its id, since no other block has it.
 *
 * Changes that come from Yjs are left alone: every client would rename the same block at once,
 * and y-tiptap does not write changes appended to a remote transaction back to the document.
 * Ids are assigned where blocks are made (the server's scaffold, "Add argument", this plugin on
 * paste), so remote changes carry ids that were already fixed by the client that made them.
 */
export function uniqueArgumentIds(type: NodeType): Plugin {
  return new Plugin({
    key: new PluginKey("uniqueArgumentIds"),
    appendTransaction(transactions: readonly Transaction[], oldState, newState) {
      if (!transactions.some((tr) => tr.docChanged) || transactions.some(isChangeOrigin)) return null;
      const mapping = new Mapping();
      for (const tr of transactions) mapping.appendMapping(tr.mapping);

      const heldBefore = new Map<string, number>();
      for (const { id, pos } of argumentsIn(oldState.doc, type)) {
        if (!id) continue;
        const mapped = mapping.map(pos, 1);
        if (newState.doc.nodeAt(mapped)?.attrs[ArgumentAttribute.id] === id) heldBefore.set(id, mapped);
      }

      const tr = newState.tr;
      const seen = new Set<string>();
      for (const { id, pos } of argumentsIn(newState.doc, type)) {
        const keeps = id !== null && (heldBefore.has(id) ? heldBefore.get(id) === pos : !seen.has(id));
        if (keeps) seen.add(id);
        else tr.setNodeAttribute(pos, ArgumentAttribute.id, newArgumentId());
      }
      return tr.docChanged ? tr : null;
    },
  });
}
