import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { causalParts } from "../../server/papers/yjs/causal-parts";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";

const SEED = 20261129;

/** One step of a class editing: a student edits their replica, or two replicas exchange what they have. */
type Step =
  | { kind: "insert"; replica: number; at: number; text: string; nested: boolean }
  | { kind: "type"; replica: number; at: number; text: string }
  | { kind: "format"; replica: number; at: number; length: number }
  | { kind: "delete"; replica: number; at: number; length: number }
  | { kind: "attribute"; replica: number; at: number; value: string }
  | { kind: "sync"; from: number; to: number };

const REPLICAS = 4;
const replica = fc.nat(REPLICAS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    replica,
    at: fc.nat(),
    text: fc.string({ maxLength: 12 }),
    nested: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("type" as const),
    replica,
    at: fc.nat(),
    text: fc.string({ minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant("format" as const), replica, at: fc.nat(), length: fc.nat(5) }),
  fc.record({ kind: fc.constant("delete" as const), replica, at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("attribute" as const), replica, at: fc.nat(), value: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant("sync" as const), from: replica, to: replica }),
);

const paragraph = (text: string, nested: boolean) => {
  const element = new Y.XmlElement(nested ? "argument" : "paragraph");
  const inner = nested ? new Y.XmlElement("paragraph") : element;
  inner.insert(0, [new Y.XmlText(text)]);
  if (nested) element.insert(0, [inner]);
  return element;
};

/** The first text below a block, however deep. */
function textOf(node: Y.XmlElement): Y.XmlText | undefined {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) return child;
    if (child instanceof Y.XmlElement) {
      const text = textOf(child);
      if (text) return text;
    }
  }
  return undefined;
}

/** Replays the steps on replicas that all send what they make to one server document. */
function classOf(steps: Step[]): Y.Doc {
  const server = new Y.Doc();
  const replicas = Array.from({ length: REPLICAS }, () => new Y.Doc());
  for (const doc of replicas) doc.on("update", (update: Uint8Array) => Y.applyUpdate(server, update));
  for (const next of steps) {
    if (next.kind === "sync") {
      const [from, to] = [replicas[next.from]!, replicas[next.to]!];
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
      continue;
    }
    const fragment = replicas[next.replica]!.getXmlFragment(PAPER_FRAGMENT);
    const blocks = fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement);
    const block = blocks.length > 0 ? blocks[next.at % blocks.length]! : undefined;
    switch (next.kind) {
      case "insert":
        fragment.insert(next.at % (fragment.length + 1), [paragraph(next.text, next.nested)]);
        break;
      case "type": {
        const text = block && textOf(block);
        text?.insert(next.at % (text.length + 1), next.text);
        break;
      }
      case "format": {
        const text = block && textOf(block);
        if (text && text.length > 0) text.format(next.at % text.length, next.length, { bold: true });
        break;
      }
      case "delete":
        if (fragment.length > 0) {
          const at = next.at % fragment.length;
          fragment.delete(at, Math.min(next.length, fragment.length - at));
        }
        break;
      case "attribute":
        block?.setAttribute("argumentId", next.value);
        break;
    }
  }
  return server;
}

/** Applies the parts in order to an empty document, checking that Yjs never has to park a struct. */
function rebuild(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const part of parts) {
    Y.applyUpdate(doc, part);
    expect(doc.store.pendingStructs).toBeNull();
  }
  return doc;
}

describe("a paper cut into causal parts", () => {
  it("rebuilds every paper a class can write, part by part, with nothing left pending", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 8 }), (steps, size) => {
        const original = classOf(steps);
        const parts = causalParts(original, size);
        const rebuilt = rebuild(parts);
        expect(Y.encodeStateAsUpdate(rebuilt)).toEqual(Y.encodeStateAsUpdate(original));
        expect(rebuilt.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(
          original.getXmlFragment(PAPER_FRAGMENT).toString(),
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("keeps each part within its size, and builds a compacted paper the same as one whole update", () => {
    const students = Array.from({ length: 6 }, () => new Y.Doc());
    const server = new Y.Doc();
    // Everyone types at the very start at once: the concurrent inserts Yjs orders by client id.
    for (let line = 0; line < 40; line++) {
      for (const [index, student] of students.entries()) {
        const before = Y.encodeStateVector(student);
        student.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph(`student ${index} line ${line}`, line % 3 === 0)]);
        Y.applyUpdate(server, Y.encodeStateAsUpdate(student, before));
      }
    }
    server.getXmlFragment(PAPER_FRAGMENT).delete(10, 50);
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, Y.encodeStateAsUpdate(server));

    const parts = causalParts(compacted, 25);
    const structParts = parts.slice(0, -1);
    for (const part of structParts) {
      const structs = Y.decodeUpdate(part).structs.length;
      expect(structs).toBeGreaterThan(0);
      expect(structs).toBeLessThanOrEqual(25);
      expect(Y.decodeUpdate(part).ds.clients.size).toBe(0);
    }
    // The delete set comes last, alone.
    expect(Y.decodeUpdate(parts.at(-1)!).structs).toEqual([]);
    expect(structParts.length).toBeGreaterThan(10);
    expect(Y.encodeStateAsUpdate(rebuild(parts))).toEqual(Y.encodeStateAsUpdate(server));
  });

  it("carries what the document itself still holds as pending", () => {
    const source = new Y.Doc();
    source.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("first", false)]);
    const first = Y.encodeStateAsUpdate(source);
    const vector = Y.encodeStateVector(source);
    source.getXmlFragment(PAPER_FRAGMENT).insert(1, [paragraph("second", false)]);
    const second = Y.encodeStateAsUpdate(source, vector);
    // The second edit alone cannot be placed: Yjs keeps it pending until the first arrives.
    const parked = new Y.Doc();
    Y.applyUpdate(parked, second);
    expect(parked.store.pendingStructs).not.toBeNull();

    const rebuilt = new Y.Doc();
    for (const part of causalParts(parked, 10)) Y.applyUpdate(rebuilt, part);
    Y.applyUpdate(rebuilt, first);
    expect(rebuilt.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(source.getXmlFragment(PAPER_FRAGMENT).toString());
  });
});
