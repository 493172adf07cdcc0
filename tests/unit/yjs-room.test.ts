import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Store } from "../../server/store/types";
import { BudgetReason, CloseCode, PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { encodeYjsFrame } from "../../shared/wire/yjs-codec";
import { connectMemoryClient, type MemoryRoom, memoryRoom } from "../support/memory-transport";

/** An update nesting `depth` elements (or, with `map`, Y.Maps) inside each other. */
function nestedUpdate(depth: number, map = false): Uint8Array {
  const doc = new Y.Doc();
  if (map) {
    let current = doc.getMap("nested");
    for (let level = 0; level < depth; level++) {
      const next = new Y.Map<unknown>();
      current.set("child", next);
      current = next as Y.Map<unknown> as typeof current;
    }
  } else {
    let current: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment(PAPER_FRAGMENT);
    for (let level = 0; level < depth; level++) {
      const next = new Y.XmlElement("blockquote");
      current.insert(0, [next]);
      current = next;
    }
  }
  return Y.encodeStateAsUpdate(doc);
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error("The condition did not hold within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A store whose appends, while held, wait until released (or failed) together. */
function heldAppends() {
  let holding = false;
  const waiting: { run: () => Promise<number>; resolve: (seq: number) => void; reject: (error: unknown) => void }[] =
    [];
  return {
    wrap: (store: Store): Store => ({
      ...store,
      appendUpdate: (...args) =>
        holding
          ? new Promise<number>((resolve, reject) =>
              waiting.push({ run: () => store.appendUpdate(...args), resolve, reject }),
            )
          : store.appendUpdate(...args),
    }),
    hold() {
      holding = true;
    },
    waiting: () => waiting.length,
    release() {
      holding = false;
      for (const append of waiting.splice(0)) append.run().then(append.resolve, append.reject);
    },
    fail(error: Error) {
      holding = false;
      for (const append of waiting.splice(0)) append.reject(error);
    },
  };
}

/** Amira and Ben in the room, synced; from then on the store holds every append until told. */
async function amiraAndBenWhileAppendsAreHeld(setup: MemoryRoom, gate: ReturnType<typeof heldAppends>) {
  const amira = connectMemoryClient(setup.room, setup.session("Amira"));
  const ben = connectMemoryClient(setup.room, setup.session("Ben"));
  await setup.room.idle();
  gate.hold();
  return { amira, ben };
}

describe("DocumentRoom over an in-memory transport", () => {
  let setup: MemoryRoom | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
  });

  it("syncs two clients: each sees the other's edits, and the edits are stored", async () => {
    setup = await memoryRoom();
    const amira = connectMemoryClient(setup.room, setup.session("Amira"));
    const ben = connectMemoryClient(setup.room, setup.session("Ben"));
    await setup.room.idle();
    expect(amira.text()).toContain("Thesis");
    amira.write("Credibility first");
    await setup.room.idle();
    expect(ben.text()).toContain("Credibility first");
    const { room } = await setup.reopen();
    expect(room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("Credibility first");
  });

  it("answers a save check only after the updates before it are stored", async () => {
    setup = await memoryRoom();
    const client = connectMemoryClient(setup.room, setup.session());
    await setup.room.idle();
    const before = (await setup.store.loadDocument(setup.docId))!.lastSeq;
    client.write("stored before the marker");
    client.send(encodeYjsFrame.saveCheck(7));
    await setup.room.idle();
    expect(client.transport.of("saved").map((frame) => frame.marker)).toEqual([7]);
    expect((await setup.store.loadDocument(setup.docId))!.lastSeq).toBeGreaterThan(before);
  });

  it("handles the next update while the last one is being stored; relays, acknowledgements and syncs wait, in order", async () => {
    const gate = heldAppends();
    setup = await memoryRoom({}, { roomStore: gate.wrap });
    const { amira, ben } = await amiraAndBenWhileAppendsAreHeld(setup, gate);
    for (const line of ["first line", "second line", "third line"]) amira.write(line);
    amira.send(encodeYjsFrame.saveCheck(1));
    await until(() => gate.waiting() === 3);
    // A newcomer's sync must not show it what is not yet stored either.
    const carol = connectMemoryClient(setup.room, setup.session("Carol"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ben.text()).not.toContain("first line");
    expect(carol.text()).not.toContain("first line");
    expect(amira.transport.of("saved")).toEqual([]);

    gate.release();
    await setup.room.idle();
    for (const client of [ben, carol]) {
      expect(client.text()).toMatch(/first line.*second line.*third line/);
    }
    expect(amira.transport.of("saved").map((frame) => frame.marker)).toEqual([1]);
    const { room } = await setup.reopen();
    expect(room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toMatch(/first line.*second line.*third line/);
  });

  it("drops the room when a store fails: neither that update nor the ones handled after it reach anyone", async () => {
    const gate = heldAppends();
    setup = await memoryRoom({}, { roomStore: gate.wrap });
    const { amira, ben } = await amiraAndBenWhileAppendsAreHeld(setup, gate);
    amira.write("lost to the disk");
    amira.write("handled after it");
    await until(() => gate.waiting() === 2);
    gate.fail(new Error("simulated disk failure"));
    await setup.room.idle();
    expect(ben.text()).not.toContain("lost to the disk");
    expect(ben.text()).not.toContain("handled after it");
    for (const client of [amira, ben]) {
      expect(client.transport.closed).toEqual({
        code: CloseCode.loadFailed,
        reason: "The server could not store your change; reconnecting",
      });
    }
    expect(setup.room.broken).toBe(true);
  });

  it("applies a long paste in parts: another paper's edit gets through first, and everyone gets the whole paste", async () => {
    setup = await memoryRoom();
    const other = await memoryRoom();
    try {
      const amira = connectMemoryClient(setup.room, setup.session("Amira"));
      const ben = connectMemoryClient(setup.room, setup.session("Ben"));
      const carol = connectMemoryClient(other.room, other.session("Carol"));
      const dan = connectMemoryClient(other.room, other.session("Dan"));
      await Promise.all([setup.room.idle(), other.room.idle()]);
      const updatesBefore = ben.transport.of("update").length;
      let benWhenDanSawIt: string | null = null;
      dan.doc.on("update", () => {
        if (benWhenDanSawIt === null && dan.text().includes("meanwhile")) benWhenDanSawIt = ben.text();
      });

      // 1,300 paragraphs of three structs each: near the most one change may hold (MAX_UPDATE_ITEMS).
      const paragraphs = Array.from({ length: 1300 }, (_, line) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(`pasted line ${line}`)]);
        return paragraph;
      });
      amira.doc.getXmlFragment(PAPER_FRAGMENT).insert(0, paragraphs);
      carol.write("meanwhile");
      await Promise.all([setup.room.idle(), other.room.idle()]);

      expect(benWhenDanSawIt).not.toBeNull();
      expect(benWhenDanSawIt).not.toContain("pasted line 1299");
      expect(ben.text()).toBe(amira.text());
      expect(ben.transport.of("update").length - updatesBefore).toBeGreaterThan(1);
      expect(setup.errors).toEqual([]);
      // Stored as the one change it was.
      const stored = (await setup.store.loadDocument(setup.docId))!;
      expect(stored.updates.filter((update) => update.byteLength > 10_000)).toHaveLength(1);
      const { room } = await setup.reopen();
      expect(room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(amira.text());
    } finally {
      await other.close();
    }
  });

  it("gives each newcomer the paper as it is now, and a returning client only what it lacks", async () => {
    setup = await memoryRoom();
    const amira = connectMemoryClient(setup.room, setup.session("Amira"));
    await setup.room.idle();
    amira.write("before the first newcomer");
    await setup.room.idle();
    const ben = connectMemoryClient(setup.room, setup.session("Ben"));
    await setup.room.idle();
    expect(ben.text()).toContain("before the first newcomer");

    amira.write("after the first newcomer");
    await setup.room.idle();
    const carol = connectMemoryClient(setup.room, setup.session("Carol"));
    await setup.room.idle();
    expect(carol.text()).toContain("after the first newcomer");

    // A client that already holds the paper up to some point is sent the rest, not all of it.
    const returning = new Y.Doc();
    Y.applyUpdate(returning, Y.encodeStateAsUpdate(ben.doc));
    amira.write("while Ben was away");
    await setup.room.idle();
    const dave = connectMemoryClient(setup.room, setup.session("Dave"));
    dave.send(encodeYjsFrame.syncStep1(Y.encodeStateVector(returning)));
    await setup.room.idle();
    const [, rest] = dave.transport.of("syncStep2").map((frame) => frame.update);
    expect(rest!.byteLength).toBeLessThan(Y.encodeStateAsUpdate(setup.room.doc).byteLength);
    Y.applyUpdate(returning, rest!);
    expect(returning.getXmlFragment(PAPER_FRAGMENT).toString()).toBe(
      setup.room.doc.getXmlFragment(PAPER_FRAGMENT).toString(),
    );
  });

  it("stores nothing for a sync step 2 that holds only what the paper already has", async () => {
    setup = await memoryRoom();
    const client = connectMemoryClient(setup.room, setup.session());
    await setup.room.idle();
    client.write("typed, then partly deleted");
    client.doc.getXmlFragment(PAPER_FRAGMENT).delete(0, 1);
    await setup.room.idle();
    const before = (await setup.store.loadDocument(setup.docId))!.lastSeq;
    // What a reconnecting client sends when the server has all of it: its whole state and delete set.
    client.send(encodeYjsFrame.syncStep2(Y.encodeStateAsUpdate(client.doc)));
    await setup.room.idle();
    expect((await setup.store.loadDocument(setup.docId))!.lastSeq).toBe(before);
    expect(client.transport.closed).toBeNull();
  });

  it("replaces a forged presence name with the session's, and corrects the sender's clock", async () => {
    setup = await memoryRoom();
    const amira = connectMemoryClient(setup.room, setup.session("Amira"));
    const ben = connectMemoryClient(setup.room, setup.session("Ben"));
    amira.send(
      encodeYjsFrame.awarenessEntries([
        { clientId: 42, clock: 3, state: { user: { name: "The Instructor" }, cursor: 1 } },
      ]),
    );
    await setup.room.idle();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const seen = ben.transport.of("awareness").flatMap((frame) => frame.entries);
    expect(seen).toContainEqual({
      clientId: 42,
      clock: 4,
      state: { user: { name: "Amira", color: "#047857" }, cursor: 1 },
    });
    // Ben cannot take over Amira's awareness id.
    ben.send(encodeYjsFrame.awarenessEntries([{ clientId: 42, clock: 9, state: { user: { name: "Ben" } } }]));
    await setup.room.idle();
    expect(setup.room.awareness.getStates().get(42)).toMatchObject({ user: { name: "Amira" } });
  });

  it("relays a presence change within the batch, and lets a renewal wait for the next change", async () => {
    setup = await memoryRoom();
    const amira = connectMemoryClient(setup.room, setup.session("Amira"));
    const ben = connectMemoryClient(setup.room, setup.session("Ben"));
    const carol = connectMemoryClient(setup.room, setup.session("Carol"));
    await setup.room.idle();
    const presence = (client: typeof amira, clock: number, cursor: number) =>
      client.send(encodeYjsFrame.awarenessEntries([{ clientId: client.doc.clientID, clock, state: { cursor } }]));
    const relayedTo = (client: typeof amira) => client.transport.of("awareness").flatMap((frame) => frame.entries);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
    presence(amira, 1, 1);
    presence(carol, 1, 1);
    await pause();
    expect(relayedTo(ben).map((entry) => entry.clientId)).toEqual([amira.doc.clientID, carol.doc.clientID]);

    // The same state again (each client renews every 15 s) changes nothing anyone sees: it waits.
    presence(amira, 2, 1);
    await pause();
    expect(relayedTo(ben)).toHaveLength(2);
    presence(carol, 2, 2);
    await pause();
    expect(relayedTo(ben).slice(2)).toEqual([
      expect.objectContaining({ clientId: amira.doc.clientID, clock: 3 }),
      expect.objectContaining({
        clientId: carol.doc.clientID,
        clock: 3,
        state: expect.objectContaining({ cursor: 2 }),
      }),
    ]);
  });

  it("drops presence a client echoes back (only others' ids) without queueing it", async () => {
    setup = await memoryRoom({ maxQueuedPerConnection: 8 });
    const amira = connectMemoryClient(setup.room, setup.session("Amira"));
    const ben = connectMemoryClient(setup.room, setup.session("Ben"));
    await setup.room.idle();
    amira.send(encodeYjsFrame.awarenessEntries([{ clientId: amira.doc.clientID, clock: 1, state: { cursor: 1 } }]));
    await setup.room.idle();
    const echo = encodeYjsFrame.awarenessEntries([{ clientId: amira.doc.clientID, clock: 9, state: { cursor: 5 } }]);
    for (let index = 0; index < 20; index++) ben.send(echo);
    expect(ben.transport.paused).toBe(false);
    await setup.room.idle();
    expect(setup.room.awareness.getStates().get(amira.doc.clientID)).toMatchObject({ cursor: 1 });
  });

  it("refuses an update from a read-only connection: not applied, not stored, answered", async () => {
    setup = await memoryRoom();
    const reader = connectMemoryClient(setup.room, setup.session("Judge"), { access: "read" });
    await setup.room.idle();
    const before = (await setup.store.loadDocument(setup.docId))!.lastSeq;
    reader.write("not allowed");
    await setup.room.idle();
    expect(reader.transport.of("updateRefused")).toHaveLength(1);
    expect(setup.room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).not.toContain("not allowed");
    expect((await setup.store.loadDocument(setup.docId))!.lastSeq).toBe(before);
  });

  it("closes a connection that sends a malformed frame with 4400, and a server-only frame too", async () => {
    setup = await memoryRoom();
    const broken = connectMemoryClient(setup.room, setup.session());
    broken.send(new Uint8Array([0, 2, 200, 1, 2, 3]));
    const impostor = connectMemoryClient(setup.room, setup.session());
    impostor.send(encodeYjsFrame.saved(3));
    await setup.room.idle();
    expect(broken.transport.closed?.code).toBe(CloseCode.malformedMessage);
    expect(impostor.transport.closed?.code).toBe(CloseCode.malformedMessage);
  });

  it("refuses hidden shared types and elements outside the schema with 4422, storing nothing", async () => {
    setup = await memoryRoom();
    const before = (await setup.store.loadDocument(setup.docId))!.lastSeq;
    const hidden = new Y.Doc();
    hidden.getMap("junk").set("x", "y".repeat(1000));
    const script = new Y.Doc();
    script.getXmlFragment(PAPER_FRAGMENT).insert(0, [new Y.XmlElement("script")]);
    for (const update of [Y.encodeStateAsUpdate(hidden), Y.encodeStateAsUpdate(script)]) {
      const client = connectMemoryClient(setup.room, setup.session());
      client.send(encodeYjsFrame.update(update));
      await setup.room.idle();
      expect(client.transport.closed?.code).toBe(CloseCode.changeRefused);
    }
    expect((await setup.store.loadDocument(setup.docId))!.lastSeq).toBe(before);
  });

  it("refuses a 2,000-deep nesting (elements or maps) without overflowing, and later edits are delivered", async () => {
    setup = await memoryRoom();
    const teammate = connectMemoryClient(setup.room, setup.session("Teammate"));
    const reader = connectMemoryClient(setup.room, setup.session("Reader"));
    for (const update of [nestedUpdate(2000), nestedUpdate(2000, true)]) {
      const hostile = connectMemoryClient(setup.room, setup.session());
      hostile.send(encodeYjsFrame.update(update));
      await setup.room.idle();
      expect(hostile.transport.closed?.code).toBe(CloseCode.changeRefused);
    }
    teammate.write("after the attack");
    await setup.room.idle();
    expect(reader.text()).toContain("after the attack");
    const reopened = await setup.reopen();
    expect(reopened.setAside).toEqual([]);
    expect(reopened.room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("after the attack");
  });

  it("refuses a change placed among thousands of paragraphs from an empty copy (4422); concurrent edits on the paper are placed", async () => {
    setup = await memoryRoom();
    const author = connectMemoryClient(setup.room, setup.session("Author"));
    const teammate = connectMemoryClient(setup.room, setup.session("Teammate"));
    await setup.room.idle();
    const paragraph = (text: string) => {
      const element = new Y.XmlElement("paragraph");
      element.insert(0, [new Y.XmlText(text)]);
      return element;
    };
    author.doc.getXmlFragment(PAPER_FRAGMENT).insert(
      0,
      Array.from({ length: setup.limits.update.maxPlacementSteps + 500 }, () => new Y.XmlElement("paragraph")),
    );
    await setup.room.idle();
    // A script's copy is empty: its paragraph goes "before everything, after nothing", and Yjs
    // would pass over every paragraph of the paper to place it.
    const empty = new Y.Doc();
    empty.getXmlFragment(PAPER_FRAGMENT).insert(0, [paragraph("from nowhere")]);
    const script = connectMemoryClient(setup.room, setup.session("Script"));
    script.send(encodeYjsFrame.update(Y.encodeStateAsUpdate(empty)));
    await setup.room.idle();
    expect(script.transport.closed).toEqual({
      code: CloseCode.changeRefused,
      reason: expect.stringMatching(/too far/),
    });
    // Two students typing at the same place at once: each one's paragraph is placed past the other's.
    author.doc.getXmlFragment(PAPER_FRAGMENT).insert(1000, [paragraph("Amira here")]);
    teammate.doc.getXmlFragment(PAPER_FRAGMENT).insert(1000, [paragraph("Ben here")]);
    author.write("at the end");
    await setup.room.idle();
    expect(author.transport.closed).toBeNull();
    expect(teammate.transport.closed).toBeNull();
    const reader = connectMemoryClient(setup.room, setup.session("Reader"));
    await setup.room.idle();
    for (const text of ["Amira here", "Ben here", "at the end"]) expect(reader.text()).toContain(text);
    expect(reader.text()).not.toContain("from nowhere");
  });

  it("closes a connection that keeps sending changes made far from the paper (4429) once its placement budget is spent", async () => {
    setup = await memoryRoom();
    const author = connectMemoryClient(setup.room, setup.session("Author"));
    await setup.room.idle();
    const fragment = author.doc.getXmlFragment(PAPER_FRAGMENT);
    fragment.insert(fragment.length, [new Y.XmlElement("paragraph"), new Y.XmlElement("paragraph")]);
    await setup.room.idle();
    // What a script saw of the paper: its last two paragraphs side by side. Then 1,500 go between them.
    const seen = Y.encodeStateAsUpdate(author.doc);
    const between = fragment.length - 1;
    fragment.insert(
      between,
      Array.from({ length: 1500 }, () => new Y.XmlElement("paragraph")),
    );
    await setup.room.idle();
    const script = connectMemoryClient(setup.room, setup.session("Script"));
    await setup.room.idle();
    let sent = 0;
    while (!script.transport.closed && sent < 100) {
      // Each from a fresh copy of what it saw: 1,500 paragraphs and more to pass over, under the per-update limit.
      const stale = new Y.Doc();
      Y.applyUpdate(stale, seen);
      const before = Y.encodeStateVector(stale);
      stale.getXmlFragment(PAPER_FRAGMENT).insert(between, [new Y.XmlElement("paragraph")]);
      script.send(encodeYjsFrame.update(Y.encodeStateAsUpdate(stale, before)));
      sent++;
      await setup.room.idle();
    }
    expect(script.transport.closed).toEqual({ code: CloseCode.tooManyConnections, reason: BudgetReason.placement });
    // Two seconds' worth of five costliest changes a second: some 13 changes of 1,500 steps.
    expect(sent).toBeGreaterThan(10);
    expect(sent).toBeLessThan(40);
    author.write("still writing");
    await setup.room.idle();
    expect(author.transport.closed).toBeNull();
  });

  it("closes a flooding connection with 4429 and keeps serving the others", async () => {
    setup = await memoryRoom();
    const flooder = connectMemoryClient(setup.room, setup.session("Flooder"));
    const honest = connectMemoryClient(setup.room, setup.session("Honest"));
    // In bursts that the room drains, as a socket paused by backpressure would deliver them.
    for (let burst = 0; burst < 100 && !flooder.transport.closed; burst++) {
      for (let index = 0; index < 50; index++) flooder.send(encodeYjsFrame.queryAwareness());
      await setup.room.idle();
    }
    expect(flooder.transport.closed).toEqual({ code: CloseCode.tooManyConnections, reason: BudgetReason.messages });
    honest.write("still here");
    await setup.room.idle();
    expect(setup.room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("still here");
  });

  it("pauses reading a connection whose queue is full, and resumes it once drained", async () => {
    setup = await memoryRoom({ maxQueuedPerConnection: 8 });
    const client = connectMemoryClient(setup.room, setup.session());
    await setup.room.idle();
    // Each update waits for the store, so the frames behind it queue up.
    for (let index = 0; index < 10; index++) client.write(`line ${index}`);
    expect(client.transport.paused).toBe(true);
    await setup.room.idle();
    expect(client.transport.paused).toBe(false);
    expect(setup.room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("line 9");
  });

  it("writes the paper again when it unloads only if its log holds something", async () => {
    let compactions = 0;
    setup = await memoryRoom(
      {},
      {
        roomStore: (store) => ({
          ...store,
          compactDocument: (...args) => {
            compactions++;
            return store.compactDocument(...args);
          },
        }),
      },
    );
    const writer = connectMemoryClient(setup.room, setup.session());
    writer.write("a line in the log");
    await setup.room.idle();
    const withLog = await setup.reopen();
    await withLog.room.unload();
    expect(compactions).toBe(1);
    // Built from the snapshot alone: leaving it again has nothing to fold.
    const compacted = await setup.reopen();
    await compacted.room.unload();
    expect(compactions).toBe(1);
    const { room } = await setup.reopen();
    expect(room.doc.getXmlFragment(PAPER_FRAGMENT).toString()).toContain("a line in the log");
  });

  it("caps awareness client ids per connection", async () => {
    setup = await memoryRoom();
    const abuser = connectMemoryClient(setup.room, setup.session());
    const entries = Array.from({ length: 2000 }, (_, clientId) => ({ clientId, clock: 1, state: {} }));
    abuser.send(encodeYjsFrame.awarenessEntries(entries));
    await setup.room.idle();
    expect(abuser.transport.closed).toEqual({ code: CloseCode.tooManyConnections, reason: BudgetReason.awarenessIds });
    expect(setup.room.awareness.getStates().size).toBe(0);
  });

  it("drops a reader whose send buffer passes the bound", async () => {
    setup = await memoryRoom();
    const slow = connectMemoryClient(setup.room, setup.session("Slow"));
    const writer = connectMemoryClient(setup.room, setup.session("Writer"));
    await setup.room.idle();
    slow.transport.bufferedAmount = setup.limits.maxBufferedBytes + 1;
    writer.write("relayed");
    await setup.room.idle();
    expect(slow.transport.closed?.code).toBe(CloseCode.slowReader);
  });
});
