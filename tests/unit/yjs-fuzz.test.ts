import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { decodeYjsFrame, encodeYjsFrame, type YjsFrame } from "../../shared/wire/yjs-codec";
import { FRAME_FAMILIES, frameCase, seededRandom } from "../support/fuzz-cases";
import { connectMemoryClient, type MemoryRoom, memoryRoom } from "../support/memory-transport";

const SEED = 20261129;

const bytes = fc.uint8Array({ maxLength: 64 });
const frames: fc.Arbitrary<YjsFrame> = fc.oneof(
  bytes.map((stateVector) => ({ type: "syncStep1" as const, stateVector })),
  bytes.map((update) => ({ type: "syncStep2" as const, update })),
  bytes.map((update) => ({ type: "update" as const, update })),
  fc.constant({ type: "queryAwareness" as const }),
  fc.string().map((permissionDenied) => ({ type: "auth" as const, permissionDenied })),
  fc
    .record({ access: fc.constantFrom("write" as const, "read" as const), reason: fc.option(fc.string()) })
    .map((notice) => ({ type: "access" as const, notice })),
  fc.nat().map((marker) => ({ type: "saveCheck" as const, marker })),
  fc.nat().map((marker) => ({ type: "saved" as const, marker })),
  fc.string().map((reason) => ({ type: "updateRefused" as const, reason })),
  fc
    .array(
      fc.record({
        clientId: fc.nat(),
        clock: fc.nat(),
        state: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string())),
      }),
      { maxLength: 5 },
    )
    .map((entries) => ({ type: "awareness" as const, entries })),
);

function encode(frame: YjsFrame): Uint8Array {
  switch (frame.type) {
    case "awareness":
      return encodeYjsFrame.awarenessEntries(frame.entries);
    case "syncStep1":
      return encodeYjsFrame.syncStep1(frame.stateVector);
    case "syncStep2":
      return encodeYjsFrame.syncStep2(frame.update);
    case "update":
      return encodeYjsFrame.update(frame.update);
    case "queryAwareness":
      return encodeYjsFrame.queryAwareness();
    case "auth":
      return encodeYjsFrame.auth(frame.permissionDenied);
    case "access":
      return encodeYjsFrame.access(frame.notice);
    case "saveCheck":
      return encodeYjsFrame.saveCheck(frame.marker);
    case "saved":
      return encodeYjsFrame.saved(frame.marker);
    case "updateRefused":
      return encodeYjsFrame.updateRefused(frame.reason);
  }
}

describe("the Yjs frame codec", () => {
  it("decodes what it encodes, for every frame type", () => {
    fc.assert(
      fc.property(frames, (frame) => {
        expect(decodeYjsFrame(encode(frame))).toEqual({ ok: true, frame });
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("never throws on random or mutated bytes: a frame or a typed error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), frames.map(encode)), fc.nat(), (message, cut) => {
        for (const candidate of [message, message.slice(0, cut % (message.length + 1))]) {
          const result = decodeYjsFrame(candidate);
          if (!result.ok) expect(result.error).toEqual(expect.any(String));
        }
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it("refuses an access notice of the wrong shape instead of casting it", () => {
    const forged = encodeYjsFrame.access({ access: "admin", reason: 3 } as never);
    expect(decodeYjsFrame(forged)).toEqual({ ok: false, error: "Access notice has the wrong shape" });
  });
});

describe("fuzzing a room with random and mutated frames", () => {
  let setup: MemoryRoom | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
  });

  it("throws nothing out of the room, stores nothing malformed, and keeps the paper loadable", async () => {
    const errors: unknown[] = [];
    setup = await memoryRoom();
    const random = seededRandom(SEED);
    const honest = connectMemoryClient(setup.room, setup.session("Honest"));
    const closes = new Map<number, number>();
    for (let index = 0; index < 300; index++) {
      const family = FRAME_FAMILIES[index % FRAME_FAMILIES.length]!;
      const hostile = connectMemoryClient(setup.room, setup.session(`Fuzzer ${index}`));
      await setup.room.idle();
      for (const frame of frameCase(family, random, hostile.doc)) hostile.send(frame);
      if (index % 10 === 0) honest.write(`honest line ${index}`);
      await setup.room.idle().catch((error) => errors.push(error));
      if (hostile.transport.closed) {
        closes.set(hostile.transport.closed.code, (closes.get(hostile.transport.closed.code) ?? 0) + 1);
      } else {
        hostile.transport.close(1000, "done");
      }
    }
    await setup.room.idle();
    expect(errors).toEqual([]);
    expect(setup.errors).toEqual([]);
    expect(setup.room.broken).toBe(false);
    // Connections were only ever closed as refusals (never 4500), and nothing refused got in.
    expect([...closes.keys()].sort()).toEqual([4400, 4409, 4422, 4429].filter((code) => closes.has(code)));
    expect(closes.get(4400)).toBeGreaterThan(0);
    expect(closes.get(4422)).toBeGreaterThan(0);
    const live = setup.room.doc.getXmlFragment(PAPER_FRAGMENT).toString();
    expect(live).toContain("honest line 290");
    expect([...setup.room.doc.share.keys()]).toEqual([PAPER_FRAGMENT]);
    const reopened = await setup.reopen();
    expect(reopened.setAside).toEqual([]);
    expect(reopened.room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(live);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, Y.encodeStateAsUpdate(reopened.room.doc));
    expect([...stored.share.keys()]).toEqual([PAPER_FRAGMENT]);
  }, 60_000);
});
