import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { causalParts, UncuttableUpdate, updateInParts } from "../../server/papers/yjs/causal-parts";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { classOf, paragraph, step } from "../support/class-history";

const SEED = 20261129;

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

describe("one update cut into causal parts", () => {
  it("changes a paper as the whole update would, part by part, with nothing left pending", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 2, maxLength: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        (steps, at, size) => {
          // What the server had part-way through, and everything every student did after, as one
          // update: many clients' structs and deletions at once, as a reconnecting sync sends them.
          const cutAt = Math.floor(at * (steps.length - 1));
          let earlier: Uint8Array = new Uint8Array();
          const later = classOf(steps, (server, index) => {
            if (index === cutAt) earlier = Y.encodeStateAsUpdate(server);
          });
          const update = Y.encodeStateAsUpdate(later, earlier.byteLength > 0 ? encodeVectorOf(earlier) : undefined);
          const whole = docOf(earlier);
          Y.applyUpdate(whole, update);
          const inParts = docOf(earlier);
          const parts = updateInParts(inParts, Y.decodeUpdate(update), size);
          expect(parts).not.toBeNull();
          for (const part of parts!) {
            Y.applyUpdate(inParts, part);
            expect(inParts.store.pendingStructs).toBeNull();
          }
          expect(Y.encodeStateAsUpdate(inParts)).toEqual(Y.encodeStateAsUpdate(whole));
          expect(inParts.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(
            later.getXmlFragment(PAPER_FRAGMENT).toString(),
          );
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("keeps each part within its size and leaves out what the paper already has", () => {
    const server = new Y.Doc();
    const student = new Y.Doc();
    student.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("already here", false)]);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(student));
    student.getXmlFragment(PAPER_FRAGMENT).insert(
      1,
      Array.from({ length: 100 }, (_, line) => paragraph(`line ${line}`, false)),
    );
    student.getXmlFragment(PAPER_FRAGMENT).delete(0, 1);
    // A sync step 2 sends everything, including what the server has.
    const update = Y.encodeStateAsUpdate(student);
    // Each part is cut when it is taken, from what the paper has by then: applied as taken.
    const parts: Uint8Array[] = [];
    for (const part of updateInParts(server, Y.decodeUpdate(update), 30)!) {
      parts.push(part);
      Y.applyUpdate(server, part);
    }
    const structs = parts.map((part) => Y.decodeUpdate(part).structs.length);
    expect(structs.every((count) => count <= 30)).toBe(true);
    // 100 paragraphs of three structs each (element, text, characters), and nothing the server had.
    expect(structs.reduce((total, count) => total + count, 0)).toBe(300);
    expect(parts.slice(0, -1).every((part) => Y.decodeUpdate(part).ds.clients.size === 0)).toBe(true);
    expect(server.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(student.getXmlFragment(PAPER_FRAGMENT).toString());
  });

  it("gives no parts for an update whose structs start past what the paper has", () => {
    const student = new Y.Doc();
    student.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("first", false)]);
    const vector = Y.encodeStateVector(student);
    student.getXmlFragment(PAPER_FRAGMENT).insert(1, [paragraph("second", false)]);
    const second = Y.encodeStateAsUpdate(student, vector);
    // Another client's edit next to the second paragraph, sent without it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(student));
    const before = Y.encodeStateVector(other);
    other.getXmlFragment(PAPER_FRAGMENT).insert(2, [paragraph("third", false)]);
    const third = Y.encodeStateAsUpdate(other, before);
    expect(updateInParts(new Y.Doc(), Y.decodeUpdate(Y.mergeUpdates([second, third])), 10)).toBeNull();
  });

  it("stops with UncuttableUpdate at a struct that needs what nobody sent, and the whole update still applies", () => {
    const amira = new Y.Doc();
    amira.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("first", false)]);
    const server = docOf(Y.encodeStateAsUpdate(amira));
    // Ben has a paragraph the server never got, and types between it and the first.
    const ben = docOf(Y.encodeStateAsUpdate(amira));
    ben.getXmlFragment(PAPER_FRAGMENT).insert(1, [paragraph("unsent", false)]);
    const carol = docOf(Y.encodeStateAsUpdate(ben));
    const before = Y.encodeStateVector(carol);
    carol.getXmlFragment(PAPER_FRAGMENT).insert(1, [paragraph("between", false)]);
    const update = Y.encodeStateAsUpdate(carol, before);

    const parts = updateInParts(server, Y.decodeUpdate(update), 1);
    expect(parts).not.toBeNull();
    expect(() => {
      for (const part of parts!) Y.applyUpdate(server, part);
    }).toThrow(UncuttableUpdate);
    Y.applyUpdate(server, update);
    const whole = docOf(Y.encodeStateAsUpdate(amira));
    Y.applyUpdate(whole, update);
    expect(Y.encodeStateAsUpdate(server)).toEqual(Y.encodeStateAsUpdate(whole));
    // Parked, as Yjs parks it, until Ben's paragraph arrives.
    expect(server.store.pendingStructs).not.toBeNull();
  });
});

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  if (state.byteLength > 0) Y.applyUpdate(doc, state);
  return doc;
}

function encodeVectorOf(state: Uint8Array): Uint8Array {
  return Y.encodeStateVector(docOf(state));
}
