import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { encodeStateAsUpdateInSlices } from "../../server/papers/yjs/encode-in-slices";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { classOf, paragraph, step } from "../support/class-history";

const SEED = 20261130;

/** Rests at every look at the clock, counting them. */
function restEveryTime(onRest: () => void = () => undefined) {
  const counted = { rests: 0 };
  return {
    counted,
    slicing: {
      sliceMs: -1,
      rest: async () => {
        counted.rests++;
        onRest();
      },
    },
  };
}

function paperOf(paragraphs: number): Y.Doc {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
  fragment.insert(
    0,
    Array.from({ length: paragraphs }, (_, line) => paragraph(`line ${line}`, line % 4 === 0)),
  );
  // Deleted runs, some adjacent, so the delete set has ranges to merge.
  for (let at = paragraphs - 10; at > 0; at -= 37) fragment.delete(at, 3);
  return doc;
}

describe("encoding a paper in slices", () => {
  it("writes what Yjs writes, byte for byte, for every paper a class can write and every target", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 200 }), fc.nat(), async (steps, cutAt) => {
        let target: Uint8Array | undefined;
        const cut = cutAt % steps.length;
        const paper = classOf(steps, (server, index) => {
          if (index === cut) target = Y.encodeStateVector(server);
        });
        const { slicing } = restEveryTime();
        expect(await encodeStateAsUpdateInSlices(paper, slicing)).toEqual(Y.encodeStateAsUpdate(paper));
        expect(await encodeStateAsUpdateInSlices(paper, slicing, target)).toEqual(Y.encodeStateAsUpdate(paper, target));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("rests between slices and still writes what Yjs writes", async () => {
    const paper = paperOf(2_000);
    const { counted, slicing } = restEveryTime();
    const encoded = await encodeStateAsUpdateInSlices(paper, slicing);
    expect(encoded).toEqual(Y.encodeStateAsUpdate(paper));
    // 2,000 paragraphs are some 5,000 structs: one rest per 64 of them.
    expect(counted.rests).toBeGreaterThan(50);
  });

  it("does not rest while a slice lasts", async () => {
    const paper = paperOf(200);
    let rests = 0;
    const encoded = await encodeStateAsUpdateInSlices(paper, {
      sliceMs: 60_000,
      rest: async () => {
        rests++;
      },
    });
    expect(encoded).toEqual(Y.encodeStateAsUpdate(paper));
    expect(rests).toBe(0);
  });

  it("gives the paper as it is on return when it changes during a rest", async () => {
    const paper = paperOf(500);
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(paper));
    const before = Y.encodeStateVector(writer);
    writer.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("typed during the encoding", false)]);
    const late = Y.encodeStateAsUpdate(writer, before);
    let applied = false;
    const { slicing } = restEveryTime(() => {
      if (applied) return;
      applied = true;
      Y.applyUpdate(paper, late);
    });
    const encoded = await encodeStateAsUpdateInSlices(paper, slicing);
    expect(applied).toBe(true);
    expect(encoded).toEqual(Y.encodeStateAsUpdate(paper));
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, encoded);
    expect(rebuilt.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("typed during the encoding");
  });

  it("carries what Yjs holds as pending, as Yjs does", async () => {
    const source = new Y.Doc();
    source.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("first", false)]);
    const first = Y.encodeStateAsUpdate(source);
    const afterFirst = Y.encodeStateVector(source);
    source.getXmlFragment(PAPER_FRAGMENT).insert(1, [paragraph("second", false)]);
    const paper = new Y.Doc();
    Y.applyUpdate(paper, Y.encodeStateAsUpdate(source, afterFirst));
    expect(paper.store.pendingStructs).not.toBeNull();
    const { slicing } = restEveryTime();
    const encoded = await encodeStateAsUpdateInSlices(paper, slicing);
    expect(encoded).toEqual(Y.encodeStateAsUpdate(paper));
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, first);
    Y.applyUpdate(rebuilt, encoded);
    expect(rebuilt.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(source.getXmlFragment(PAPER_FRAGMENT).toString());
  });
});
