import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../server/store/postgres";
import { openSqliteStore } from "../../server/store/sqlite";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { temporaryDatabasePath } from "../support/test-server";

const reachable = await postgresReachable("schema parity of SQLite and PostgreSQL");

/** Tables, and each table's columns with whether they may be null, in name order. */
type Schema = Record<string, string[]>;

function sqliteSchema(path: string): Schema {
  const db = new Database(path, { readonly: true });
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  const schema: Schema = {};
  for (const { name } of tables) {
    schema[name] = db
      .prepare<[], { name: string; notnull: number; pk: number }>(`PRAGMA table_info(${name})`)
      .all()
      .map((column) => `${column.name}${column.notnull || column.pk ? " not null" : ""}`)
      .sort();
  }
  db.close();
  return schema;
}

async function postgresSchema(url: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
    "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
  );
  await client.end();
  const schema: Schema = {};
  for (const row of rows) {
    const columns = schema[row.table_name] ?? [];
    columns.push(`${row.column_name}${row.is_nullable === "NO" ? " not null" : ""}`);
    schema[row.table_name] = columns;
  }
  for (const columns of Object.values(schema)) columns.sort();
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => a.localeCompare(b)));
}

/** PostgreSQL's baseline migration must give the schema SQLite's migrations end with (decision 120). */
describe.runIf(reachable)("schema parity", () => {
  it("gives PostgreSQL the same tables, columns and NOT NULLs as SQLite after every migration", async () => {
    const file = temporaryDatabasePath();
    await openSqliteStore(file.path).close();
    const database = await createTestDatabase();
    await (await openPostgresStore(database.url)).close();
    try {
      const expected = sqliteSchema(file.path);
      expect(Object.keys(expected)).toContain("document_log");
      expect(await postgresSchema(database.url)).toEqual(expected);
    } finally {
      await database.drop();
      file.remove();
    }
  });
});
