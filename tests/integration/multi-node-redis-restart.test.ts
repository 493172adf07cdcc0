import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionCookies } from "../../server/auth/session-cookie";
import { newId } from "../../server/ids";
import { openPostgresStore } from "../../server/store/postgres";
import type { Store } from "../../server/store/types";
import { paperDocumentId } from "../../shared/papers/documents";
import { caucusClient } from "../support/caucus-client";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { type PrivateRedis, redisServerBinary, startPrivateRedis } from "../support/redis";
import { type SpawnedServer, spawnServer } from "../support/spawn-server";
import { eventually, storedPaperText } from "../support/test-server";

const SECRET = "redis-restart-secret-redis-restart-0123";
const SUITE = "Redis restart suite";
// A redis-server of its own: the machine's shared Redis must never be stopped by a test.
const binary = redisServerBinary(SUITE);
const available = binary !== undefined && (await postgresReachable(SUITE));

type Writer = ReturnType<typeof caucusClient>;

describe.skipIf(!available)("two nodes while their Redis restarts", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: PrivateRedis;
  let store: Store;
  const nodes: SpawnedServer[] = [];
  const clients: Writer[] = [];
  const cookies = new SessionCookies(SECRET, false);

  async function writer(node: SpawnedServer, debateId: string, teamId: string, name: string): Promise<Writer> {
    const sessionId = newId();
    await store.createSession({
      id: sessionId,
      role: "student",
      accountId: null,
      displayName: name,
      debateId,
      teamId,
      color: "#047857",
    });
    const cookie = cookies.serialize(sessionId).split(";")[0]!;
    const client = caucusClient(node.url.replace("http", "ws"), paperDocumentId(teamId), cookie);
    clients.push(client);
    await client.synced();
    return client;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startPrivateRedis(binary!);
    for (let index = 0; index < 2; index++) {
      nodes.push(
        await spawnServer({
          env: { SESSION_SECRET: SECRET, DATABASE_URL: database.url, REDIS_URL: redis.url, REDIS_PREFIX: "restart:" },
        }),
      );
    }
    store = await openPostgresStore(database.url);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const node of nodes) await node.stop("SIGKILL");
    await store?.close();
    await redis?.stop();
    await database?.drop();
  });

  it("students type on both nodes through a Redis stop and start; every replica converges and nothing acknowledged is lost", async () => {
    const [a, b] = nodes;
    const debateId = (await store.listDebates())[0]!.id;
    const teamId = (await store.listTeams(debateId))[0]!.id;
    const typists = [await writer(a!, debateId, teamId, "Ada"), await writer(b!, debateId, teamId, "Bo")];
    const watchers = [await writer(a!, debateId, teamId, "Cy"), await writer(b!, debateId, teamId, "Di")];
    const acknowledged: string[] = [];
    const written: string[] = [];
    let phase = "before";
    let typing = true;
    const typed = Promise.all(
      typists.map(async (typist, index) => {
        for (let line = 0; typing; line++) {
          const token = `${phase}-${index}-${line}`;
          typist.write(token);
          written.push(token);
          await typist.saved();
          acknowledged.push(token);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    const countOf = (prefix: string) => acknowledged.filter((token) => token.startsWith(prefix)).length;
    await eventually(() => countOf("before-") >= 10, 10_000, "edits acknowledged before the stop");
    await redis.stop();
    phase = "down";
    await eventually(() => countOf("down-") >= 10, 10_000, "edits acknowledged while Redis is down");
    await redis.start();
    phase = "after";
    await eventually(() => countOf("after-") >= 10, 15_000, "edits acknowledged after Redis is back");
    typing = false;
    await typed;

    const has = (client: Writer, token: string) => client.text().includes(`>${token}<`);
    const everyone = [...typists, ...watchers];
    await eventually(
      () => everyone.every((client) => written.every((token) => has(client, token))),
      15_000,
      "every replica has every edit, none reloaded",
    );
    await eventually(() => everyone.every((client) => client.text() === typists[0]!.text()), 5000, "equal replicas");
    expect(everyone.every((client) => client.state.closes.length === 0)).toBe(true);
    const stored = await storedPaperText(store, paperDocumentId(teamId));
    expect(acknowledged.filter((token) => !stored.includes(`>${token}<`))).toEqual([]);
    for (const node of nodes) {
      expect(await (await fetch(`${node.url}/metrics`)).text()).toMatch(
        /caucus_redis_resyncs_total\{cause="reconnect"\} [1-9]/,
      );
    }
  }, 90_000);
});
