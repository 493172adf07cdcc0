import { readdirSync, readFileSync } from "node:fs";
import { type Kysely, sql } from "kysely";

const MIGRATIONS_DIRECTORY = new URL("./pg-migrations/", import.meta.url);

/** Any fixed number: the advisory lock that lets one node at a time migrate a shared database. */
const MIGRATION_LOCK = 7_140_014;

/**
 * PostgreSQL's `pg-migrations/NNN-name.sql`, applied like SQLite's (server/store/migrate.ts): in name
 * order, each in its own transaction, recorded in `schema_migrations`. 001 is the baseline equal to
 * SQLite's schema after its 012; from 013 on both directories get a migration of the same number.
 * Nodes starting together wait for each other on an advisory lock instead of racing.
 */
export async function migratePostgres(db: Kysely<unknown>): Promise<string[]> {
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`.execute(
        connection,
      );
      const applied = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(connection)).rows.map(
          (row) => row.name,
        ),
      );
      const pending = readdirSync(MIGRATIONS_DIRECTORY)
        .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file) && !applied.has(file))
        .sort();
      for (const file of pending) {
        const script = readFileSync(new URL(file, MIGRATIONS_DIRECTORY), "utf8");
        await connection.transaction().execute(async (transaction) => {
          await sql.raw(script).execute(transaction);
          await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${file}, ${Date.now()})`.execute(
            transaction,
          );
        });
      }
      return pending;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
    }
  });
}
