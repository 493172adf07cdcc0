import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionCookies } from "../../server/auth/session-cookie";
import { newId } from "../../server/ids";
import { openPostgresStore } from "../../server/store/postgres";
import type { Store } from "../../server/store/types";
import { controlPushSchema } from "../../shared/classroom/control-events";
import type { ControlView } from "../../shared/classroom/views";
import { paperDocumentId } from "../../shared/papers/documents";
import type { Role } from "../../shared/session";
import { ControlEvent, RoundEvent } from "../../shared/wire/events";
import { CloseCode } from "../../shared/wire/protocol";
import { startBalancer } from "../support/balancer";
import { caucusClient } from "../support/caucus-client";
import { http } from "../support/http";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { killRedisClient, redisForSuite, redisPrefix, TEST_REDIS_URL } from "../support/redis";
import { type SpawnedServer, spawnServer } from "../support/spawn-server";
import { eventually, roundClient, storedPaperText } from "../support/test-server";

const SECRET = "multi-node-secret-multi-node-secret-0123";
// Two nodes as deployed: one PostgreSQL database, one Redis (docs/deploy.md).
const available = (await redisForSuite("multi-node suite")) && (await postgresReachable("multi-node suite"));

type Writer = ReturnType<typeof caucusClient>;

describe.skipIf(!available)("two nodes on one PostgreSQL database and one Redis", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const redis = redisPrefix();
  const nodes: SpawnedServer[] = [];
  const clients: Writer[] = [];
  const cookies = new SessionCookies(SECRET, false);
  let debateId: string;
  let teamIds: string[];
  let store: Store;
  /** The debate's instructor account, made on first use. */
  let ownerId: string | undefined;

  const spawnNode = async (env: Record<string, string> = {}) => {
    const node = await spawnServer({
      env: {
        SESSION_SECRET: SECRET,
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redis.prefix,
        ...env,
      },
    });
    nodes.push(node);
    return node;
  };
  const wsOf = (node: { url: string }) => node.url.replace("http", "ws");

  async function cookieFor(role: Role, teamId: string | null, displayName: string): Promise<string> {
    const sessionId = newId();
    if (role === "instructor") {
      if (!ownerId) {
        ownerId = newId();
        await store.createAccount({
          id: ownerId,
          name: displayName,
          email: `${ownerId}@example.test`,
          passwordHash: "x",
        });
        await store.claimUnownedDebates(ownerId);
      }
      await store.createAccountSession(sessionId, ownerId);
    } else {
      await store.createSession({
        id: sessionId,
        role,
        accountId: null,
        displayName,
        debateId,
        teamId,
        color: "#047857",
      });
    }
    return cookies.serialize(sessionId).split(";")[0]!;
  }

  async function writer(node: { url: string } | { wsUrl: string }, teamId: string, name: string): Promise<Writer> {
    const wsUrl = "wsUrl" in node ? node.wsUrl : wsOf(node);
    const client = caucusClient(wsUrl, paperDocumentId(teamId), await cookieFor("student", teamId, name));
    clients.push(client);
    await client.synced();
    return client;
  }

  const has = (client: Writer, token: string) => client.text().includes(`>${token}<`);

  beforeAll(async () => {
    database = await createTestDatabase();
    // The first node creates and seeds the database; the second opens it as it is.
    await spawnNode();
    await spawnNode();
    store = await openPostgresStore(database.url);
    debateId = (await store.listDebates())[0]!.id;
    teamIds = (await store.listTeams(debateId)).map((team) => team.id);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const node of nodes) await node.stop("SIGKILL");
    await store.close();
    await redis.clean();
    await database.drop();
  });

  it("students on node A and node B co-edit one paper and converge, presence included", async () => {
    const [a, b] = nodes;
    const onA = await writer(a!, teamIds[0]!, "Ada");
    const onB = await writer(b!, teamIds[0]!, "Bo");
    const tokens: string[] = [];
    for (let index = 0; index < 15; index++) {
      onA.write(`a-${index}`);
      onB.write(`b-${index}`);
      tokens.push(`a-${index}`, `b-${index}`);
    }
    await eventually(() => tokens.every((token) => has(onA, token) && has(onB, token)), 10_000, "both see every edit");
    await eventually(() => onA.text() === onB.text(), 5000, "equal papers");
    // Each sees the other's presence, which reached it through the other node.
    onA.provider.awareness.setLocalStateField("cursor", { anchor: 1 });
    onB.provider.awareness.setLocalStateField("cursor", { anchor: 2 });
    await eventually(
      () =>
        onA.provider.awareness.getStates().has(onB.doc.clientID) &&
        onB.provider.awareness.getStates().has(onA.doc.clientID),
      5000,
      "presence across nodes",
    );
  }, 30_000);

  it("a node that opens a paper late shows the presence of the other nodes' editors at once", async () => {
    const [a] = nodes;
    const late = await spawnNode();
    const teamId = teamIds[1]!;
    const onA = await writer(a!, teamId, "Lou");
    onA.provider.awareness.setLocalStateField("cursor", { anchor: 3 });
    // Well before A's client renews its presence (every 15 s).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const onLate = await writer(late, teamId, "Max");
    await eventually(
      () => onLate.provider.awareness.getStates().has(onA.doc.clientID),
      3000,
      "A's presence on the late node",
    );
    await late.stop("SIGTERM");
  }, 30_000);

  it("the control room on node A shows a student typing and a judge following on node B, and forgets them when they leave", async () => {
    const [a, b] = nodes;
    const instructor = await cookieFor("instructor", null, "Ms Okafor");
    /** The presence word (offline, online, typing) the control page on node A shows next to a name. */
    const presenceOnA = async (name: string) => {
      const page = await (
        await fetch(`${a!.url}/debates/${debateId}/control`, { headers: { cookie: instructor } })
      ).text();
      const at = page.indexOf(`>${name}<`);
      expect(at).toBeGreaterThan(-1);
      return /class="presence[^"]*">(\w+)</.exec(page.slice(at))?.[1];
    };
    const until = async (name: string, word: string) => {
      const deadline = Date.now() + 10_000;
      for (let seen = await presenceOnA(name); seen !== word; seen = await presenceOnA(name)) {
        if (Date.now() > deadline) throw new Error(`${name} is still ${seen} on node A, not ${word}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const judgeCookie = await cookieFor("judge", null, "Judge Ola on B");
    expect(await presenceOnA("Judge Ola on B")).toBe("offline");
    const student = await writer(b!, teamIds[0]!, "Nell on B");
    const judgeSocket = roundClient(b!.url, judgeCookie);
    expect((await judgeSocket.emitWithAck(RoundEvent.subscribe, { debateId })).ok).toBe(true);

    student.write("shown-on-a");
    await student.saved();
    await until("Nell on B", "typing");
    await until("Judge Ola on B", "online");

    student.destroy();
    judgeSocket.close();
    await until("Nell on B", "offline");
    await until("Judge Ola on B", "offline");
  }, 60_000);

  it("the control room's live channel on node A receives a student joining on node B, then a student typing there", async () => {
    const [a, b] = nodes;
    const instructor = roundClient(a!.url, await cookieFor("instructor", null, "Ms Okafor"));
    const views: ControlView[] = [];
    instructor.on(ControlEvent.view, (wire) => views.push(controlPushSchema.parse(wire).view));
    expect((await instructor.emitWithAck(ControlEvent.watch, { debateId })).ok).toBe(true);
    const student = (name: string) => views.at(-1)?.students.find((person) => person.displayName === name);

    const { studentCode } = (await store.getDebate(debateId))!;
    expect((await http(b!.url, "/join", { form: { code: studentCode, name: "Pia on B" } })).status).toBe(302);
    await eventually(() => student("Pia on B") !== undefined, 5000, "Pia on node A's pushed roster");

    const writerOnB = await writer(b!, teamIds[0]!, "Quinn on B");
    writerOnB.write("pushed-to-a");
    await eventually(() => student("Quinn on B")?.typing === true, 10_000, "Quinn typing, pushed by node A");
    writerOnB.destroy();
    await eventually(() => student("Quinn on B")?.online === false, 10_000, "Quinn offline, pushed by node A");
    instructor.close();
  }, 60_000);

  it("an instructor's round command on node A reaches a student on node B and locks B's editors within 500 ms", async () => {
    const [a, b] = nodes;
    const teamId = teamIds[1]!;
    const editorOnA = await writer(a!, teamId, "Cy");
    const editorOnB = await writer(b!, teamId, "Di");
    expect(editorOnB.state.notice?.access).toBe("write");
    const instructor = roundClient(a!.url, await cookieFor("instructor", null, "Ms Okafor"));
    const student = roundClient(b!.url, await cookieFor("student", teamId, "Di"));
    const phases: string[] = [];
    student.on(RoundEvent.state, (snapshot) => phases.push(snapshot.format.phases[snapshot.round.phaseIndex]!.name));
    expect((await student.emitWithAck(RoundEvent.subscribe, { debateId })).ok).toBe(true);

    // Drafting ends: node A locks the papers; node B's editor must turn read-only too.
    expect((await instructor.emitWithAck(RoundEvent.command, { debateId, command: { type: "next" } })).ok).toBe(true);
    await eventually(() => phases.length > 0, 5000, "the round state on node B");
    expect(phases.at(-1)).not.toBe("Drafting");
    await eventually(() => editorOnA.state.notice?.access === "read", 5000, "read-only on node A");
    await eventually(() => editorOnB.state.notice?.access === "read", 5000, "read-only on node B");
    expect(editorOnB.state.noticeAt - editorOnA.state.noticeAt).toBeLessThanOrEqual(500);

    await instructor.emitWithAck(RoundEvent.command, { debateId, command: { type: "previous" } });
    await eventually(() => editorOnB.state.notice?.access === "write", 5000, "writable again on node B");
    instructor.close();
    student.close();
  }, 30_000);

  it("an instructor who logs out on node A loses their editor and round sockets on node B within 500 ms", async () => {
    const [a, b] = nodes;
    const cookie = await cookieFor("instructor", null, "Ms Okafor");
    const editor = caucusClient(wsOf(b!), paperDocumentId(teamIds[0]!), cookie);
    clients.push(editor);
    await editor.synced();
    const rounds = roundClient(b!.url, cookie);
    expect((await rounds.emitWithAck(RoundEvent.subscribe, { debateId })).ok).toBe(true);
    let roundsGoneAt = 0;
    let editorGoneAt = 0;
    rounds.on("disconnect", () => {
      roundsGoneAt = Date.now();
    });
    editor.provider.on("connection-close", () => {
      editorGoneAt ||= Date.now();
    });
    const logout = await fetch(`${a!.url}/logout`, {
      method: "POST",
      headers: { cookie, origin: a!.url, "content-type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(logout.status).toBe(302);
    const answeredAt = Date.now();
    await eventually(() => editor.state.closes.some((close) => close.code === CloseCode.noSession), 5000, "editor");
    await eventually(() => roundsGoneAt > 0, 5000, "round socket");
    // Measured from the log-out's answer: the node that ended the session has told the others by then.
    expect(Math.max(editorGoneAt, roundsGoneAt) - answeredAt).toBeLessThanOrEqual(500);
    editor.provider.disconnect();
  }, 30_000);

  it("after Redis drops a node's connection, replicas converge without a reload", async () => {
    const [a, b] = nodes;
    const teamId = teamIds[0]!;
    const onA = await writer(a!, teamId, "Eve");
    const onB = await writer(b!, teamId, "Fin");
    const nodeIdOfB = b!
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { nodeId?: string })
      .find((line) => line.nodeId)?.nodeId;
    expect(nodeIdOfB).toBeDefined();
    const tokens: string[] = [];
    let typing = true;
    const typist = (async () => {
      for (let index = 0; typing; index++) {
        onA.write(`during-${index}`);
        tokens.push(`during-${index}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await killRedisClient(`caucus-sub-${nodeIdOfB}`)).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    typing = false;
    await typist;
    await onA.saved();
    await eventually(() => tokens.every((token) => has(onB, token)), 10_000, "node B's client has every edit");
    expect(onB.text()).toBe(onA.text());
    const page = await (await fetch(`${b!.url}/metrics`)).text();
    expect(page).toMatch(/caucus_redis_resyncs_total\{cause="reconnect"\} [1-9]/);
  }, 30_000);

  it("a node that missed published updates notices the gap and catches up from the store", async () => {
    const [a] = nodes;
    const lossy = await spawnNode({ CLUSTER_TEST_DROP_UPDATES: "3" });
    const teamId = teamIds[1]!;
    const onLossy = await writer(lossy, teamId, "Hal");
    const onA = await writer(a!, teamId, "Gus");
    // The lossy node has heard from node A (its presence) before the updates it will lose.
    await eventually(() => onLossy.provider.awareness.getStates().has(onA.doc.clientID), 5000, "presence from A");
    for (const token of ["lost-1", "lost-2", "lost-3"]) {
      onA.write(token);
      await onA.saved();
    }
    onA.write("noticed");
    await onA.saved();
    await eventually(
      () => ["lost-1", "lost-2", "lost-3", "noticed"].every((token) => has(onLossy, token)),
      10_000,
      "the lossy node's client catches up",
    );
    expect(onLossy.text()).toBe(onA.text());
    const page = await (await fetch(`${lossy.url}/metrics`)).text();
    expect(page).toMatch(/caucus_redis_resyncs_total\{cause="gap"\} [1-9]/);
  }, 30_000);

  it("node A is killed while its students type: they reconnect to node B and nothing acknowledged or seen is lost", async () => {
    const [a, b] = nodes;
    const balancer = await startBalancer(a!.url);
    const teamId = teamIds[0]!;
    const typists = [await writer(balancer, teamId, "Ivy"), await writer(balancer, teamId, "Jo")];
    const watcher = await writer(b!, teamId, "Kim");
    const acknowledged: string[] = [];
    const written: string[] = [];
    let killed = false;
    await Promise.all(
      typists.map(async (typist, index) => {
        for (let line = 0; !killed; line++) {
          const token = `t${index}-${line}`;
          typist.write(token);
          written.push(token);
          await Promise.race([typist.saved(), new Promise((resolve) => setTimeout(resolve, 3000))]);
          if (killed) return;
          acknowledged.push(token);
          if (acknowledged.length >= 40) {
            killed = true;
            balancer.target(b!.url);
            a!.child.kill("SIGKILL");
          }
        }
      }),
    );
    // What the watcher on B saw before the crash counts as received: it must survive too.
    const seenOnB = written.filter((token) => has(watcher, token));
    for (const [index, typist] of typists.entries()) {
      typist.write(`t${index}-after`);
      written.push(`t${index}-after`);
    }
    // Each typist first sees its connection to A drop, then connects and syncs again, through the balancer, to B.
    await eventually(
      () =>
        typists.every(
          (typist) => typist.state.closes.length > 0 && typist.provider.wsconnected && typist.provider.synced,
        ),
      15_000,
      "the typists reconnect",
    );
    await Promise.all(typists.map((typist) => typist.saved()));
    const stored = await storedPaperText(store, paperDocumentId(teamId));
    expect([...acknowledged, ...seenOnB].filter((token) => !stored.includes(`>${token}<`))).toEqual([]);
    await eventually(() => written.every((token) => has(watcher, token)), 10_000, "every edit reaches node B");
    await eventually(() => typists.every((typist) => typist.text() === watcher.text()), 5000, "equal papers");
    await balancer.close();
  }, 60_000);
});
