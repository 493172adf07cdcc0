import * as Y from "yjs";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { encodeYjsFrame } from "../../shared/wire/yjs-codec";

/** A small seeded generator (mulberry32): the same seed gives the same cases on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    bytes(length: number): Uint8Array {
      const bytes = new Uint8Array(length);
      for (let index = 0; index < length; index++) bytes[index] = Math.floor(next() * 256);
      return bytes;
    },
  };
}

export type Random = ReturnType<typeof seededRandom>;

/** The families of hostile input of issue 9 that a single connection can send as frames. */
export const FRAME_FAMILIES = [
  "control",
  "random-bytes",
  "broken-framing",
  "garbage-update",
  "hostile-update",
  "awareness",
] as const;
export type FrameFamily = (typeof FRAME_FAMILIES)[number];

function paragraphUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
  fragment.insert(fragment.length, [paragraph]);
  return Y.encodeStateAsUpdate(doc, before);
}

function hostileUpdate(random: Random): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
  switch (random.int(7)) {
    case 0: {
      let map = doc.getMap("nested");
      for (let level = 0; level < 200 + random.int(2000); level++) {
        const next = new Y.Map<unknown>();
        map.set("child", next);
        map = next as typeof map;
      }
      break;
    }
    case 1: {
      let element: Y.XmlFragment | Y.XmlElement = fragment;
      for (let level = 0; level < 40 + random.int(400); level++) {
        const next = new Y.XmlElement("blockquote");
        element.insert(0, [next]);
        element = next;
      }
      break;
    }
    case 2:
      fragment.insert(
        0,
        Array.from({ length: 100 + random.int(30_000) }, () => new Y.XmlElement("paragraph")),
      );
      break;
    case 3:
      doc.getText("hidden").insert(0, "x".repeat(1000 + random.int(100_000)));
      break;
    case 4: {
      const element = new Y.XmlElement(random.pick(["script", "iframe", "paragraph"]));
      element.setAttribute(random.pick(["onclick", "style", "id"]), "x".repeat(random.int(1000)));
      fragment.insert(0, [element]);
      break;
    }
    case 5:
      doc.getArray("list").insert(
        0,
        Array.from({ length: 1 + random.int(5000) }, (_, index) => index),
      );
      break;
    default: {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("y".repeat(1 + random.int(400_000)))]);
      fragment.insert(0, [paragraph]);
    }
  }
  return Y.encodeStateAsUpdate(doc);
}

function mutate(random: Random, frame: Uint8Array): Uint8Array {
  const copy = new Uint8Array(frame);
  switch (random.int(4)) {
    case 0:
      for (let flips = 1 + random.int(4); flips > 0; flips--) copy[random.int(copy.length)] = random.int(256);
      return copy;
    case 1:
      return copy.slice(0, random.int(copy.length));
    case 2: {
      const joined = new Uint8Array(copy.length + 8);
      joined.set(copy);
      joined.set(random.bytes(8), copy.length);
      return joined;
    }
    default: {
      const at = random.int(copy.length);
      copy.copyWithin(at, random.int(copy.length));
      return copy;
    }
  }
}

/**
 * One case: the frames a hostile or buggy client sends in a row. `doc` is the sender's copy of the
 * paper, so well-formed edits build on what it has.
 */
export function frameCase(family: FrameFamily, random: Random, doc: Y.Doc): Uint8Array[] {
  switch (family) {
    case "control":
      return Array.from({ length: 1 + random.int(20) }, () =>
        random.pick([
          () => encodeYjsFrame.saveCheck(random.int(1_000_000)),
          () => encodeYjsFrame.queryAwareness(),
          () => encodeYjsFrame.syncStep1(Y.encodeStateVector(doc)),
          () => encodeYjsFrame.auth("nope"),
          () => encodeYjsFrame.access({ access: "write", reason: null }),
          () => encodeYjsFrame.update(paragraphUpdate(doc, `edit ${random.int(1000)}`)),
        ])(),
      );
    case "random-bytes":
      return Array.from({ length: 1 + random.int(5) }, () => random.bytes(1 + random.int(300)));
    case "broken-framing":
      return [mutate(random, encodeYjsFrame.update(paragraphUpdate(doc, "to be broken")))];
    case "garbage-update":
      return [
        random.pick([encodeYjsFrame.update, encodeYjsFrame.syncStep2])(
          random.next() < 0.5 ? random.bytes(1 + random.int(200)) : mutate(random, paragraphUpdate(new Y.Doc(), "x")),
        ),
        encodeYjsFrame.syncStep1(random.bytes(random.int(40))),
      ];
    case "hostile-update":
      return [encodeYjsFrame.update(hostileUpdate(random))];
    case "awareness": {
      const count = random.pick([1, 3, 50, 2000]);
      return [
        encodeYjsFrame.awarenessEntries(
          Array.from({ length: count }, () => ({
            clientId: random.int(2 ** 30),
            clock: random.int(1000),
            state: random.pick([null, {}, { user: { name: "Forged" } }, { cursor: "z".repeat(random.int(40_000)) }]),
          })),
        ),
      ];
    }
  }
}
