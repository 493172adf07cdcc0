import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL server the tests use: each test database is created on it and dropped afterwards.
 * The machines this project runs on have one on 127.0.0.1:5432 with trust authentication.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const OBJECT_IN_USE = "55006";

async function admin<T>(task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether the PostgreSQL suites run. When the server cannot be reached they are skipped with a
 * message saying so, except under CI=true, where skipping would hide them: there it is an error.
 */
export async function postgresReachable(suite: string): Promise<boolean> {
  try {
    await admin((client) => client.query("SELECT 1"));
    return true;
  } catch (error) {
    const why = `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI === "true") throw new Error(`${suite}: ${why}; CI never skips the PostgreSQL suites`);
    console.warn(`Skipping ${suite}: ${why}. Start PostgreSQL or set TEST_POSTGRES_URL to run it.`);
    return false;
  }
}

/** A new empty database `caucus_test_<random>` and the way to drop it. */
export async function createTestDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
  /** Ends every connection to it, as a restart of PostgreSQL would. */
  terminateConnections(): Promise<void>;
}> {
  const name = `caucus_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    terminateConnections: () =>
      admin(async (client) => {
        await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
      }),
    // Without FORCE: a store's connections may take a moment to go after its close, and one still
    // open after that is a leak the test should report rather than have killed.
    drop: () =>
      admin(async (client) => {
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (error) {
            const inUse = (error as { code?: string }).code === OBJECT_IN_USE;
            if (!inUse || attempt >= 50) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }),
  };
}
