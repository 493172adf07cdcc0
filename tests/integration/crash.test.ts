import { afterAll, describe, expect, it } from "vitest";
import { SessionCookies } from "../../server/auth/session-cookie";
import { newId } from "../../server/ids";
import { openStore } from "../../server/store/open";
import { paperDocumentId } from "../../shared/papers/documents";
import { caucusClient } from "../support/caucus-client";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";
import { eventually, temporaryDatabasePath } from "../support/test-server";

const SECRET = "crash-test-secret-crash-test-secret-0123";
const WRITERS = 3;
const ACKNOWLEDGED_BEFORE_KILL = 90;

/** Where the server keeps its data: a SQLite file, or a PostgreSQL database of its own. */
interface Engine {
  name: string;
  open(): Promise<{ databasePath: string; databaseUrl: string | undefined; remove(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: "SQLite",
    async open() {
      const database = temporaryDatabasePath();
      return { databasePath: database.path, databaseUrl: undefined, remove: async () => removeDatabase(database.path) };
    },
  },
];
if (await postgresReachable("kill -9 of the server process: PostgreSQL")) {
  ENGINES.push({
    name: "PostgreSQL",
    async open() {
      const database = await createTestDatabase();
      // An unused SQLite path: the server must not touch it while DATABASE_URL is set.
      const unused = temporaryDatabasePath();
      return {
        databasePath: unused.path,
        databaseUrl: database.url,
        remove: async () => {
          unused.remove();
          await database.drop();
        },
      };
    },
  });
}

describe.each(ENGINES)("kill -9 of the server process: $name", (engine) => {
  const servers: SpawnedServer[] = [];
  let database: Awaited<ReturnType<Engine["open"]>> | undefined;

  afterAll(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    await database?.remove();
  });

  it("loses no acknowledged update, and reconnecting writers converge", async () => {
    database = await engine.open();
    const env = { SESSION_SECRET: SECRET, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
    const first = await spawnServer({ databasePath: database.databasePath, env });
    servers.push(first);
    const port = new URL(first.url).port;
    const wsUrl = first.url.replace("http", "ws");

    const store = await openStore(database);
    const [debate] = await store.listDebates();
    const [team] = await store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const cookies = new SessionCookies(SECRET, false);
    const writers: ReturnType<typeof caucusClient>[] = [];
    for (let index = 0; index < WRITERS; index++) {
      const sessionId = newId();
      await store.createSession({
        id: sessionId,
        role: "student",
        accountId: null,
        displayName: `Writer ${index}`,
        debateId: debate!.id,
        teamId: team!.id,
        color: "#047857",
      });
      writers.push(caucusClient(wsUrl, docId, cookies.serialize(sessionId).split(";")[0]!));
    }
    await store.close();
    await Promise.all(writers.map((writer) => writer.synced()));

    const acknowledged: string[] = [];
    const written: string[] = [];
    let killed = false;
    await Promise.all(
      writers.map(async (writer, index) => {
        for (let line = 0; !killed; line++) {
          const token = `w${index}-line${line}`;
          writer.write(token);
          written.push(token);
          await Promise.race([writer.saved(), new Promise((resolve) => setTimeout(resolve, 3000))]);
          if (killed) return;
          acknowledged.push(token);
          if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL) {
            killed = true;
            first.child.kill("SIGKILL");
          }
        }
      }),
    );
    // Keep typing while the server is down: these edits are not acknowledged yet.
    for (const [index, writer] of writers.entries()) {
      const token = `w${index}-while-down`;
      writer.write(token);
      written.push(token);
    }
    await first.stop("SIGKILL");

    const second = await spawnServer({ databasePath: database.databasePath, env: { ...env, PORT: port } });
    servers.push(second);
    const reviewStore = await openStore(database);
    const reviewerId = newId();
    await reviewStore.createSession({
      id: reviewerId,
      role: "judge",
      accountId: null,
      displayName: "Reviewer",
      debateId: debate!.id,
      teamId: null,
      color: "#4338ca",
    });
    await reviewStore.close();
    const reviewer = caucusClient(wsUrl, docId, cookies.serialize(reviewerId).split(";")[0]!);
    await reviewer.synced();
    const lost = acknowledged.filter((token) => !reviewer.text().includes(`>${token}<`));
    expect(lost).toEqual([]);

    await eventually(() => written.every((token) => reviewer.text().includes(`>${token}<`)), 15_000, "convergence");
    await eventually(() => writers.every((writer) => writer.text() === reviewer.text()), 5000, "equal documents");
    for (const client of [...writers, reviewer]) client.destroy();
  }, 60_000);
});
