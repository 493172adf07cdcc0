import { readdirSync, readFileSync } from "node:fs";
import type Database from "better-sqlite3";

const MIGRATIONS_DIRECTORY = new URL("./migrations/", import.meta.url);

/**
 * Applies every `migrations/NNN-name.sql` not yet recorded in `schema_migrations`, in name order,
 * each in its own transaction. Never edit a shipped migration: add a new file.
 */
export function migrate(db: Database.Database): string[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const applied = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM schema_migrations")
      .all()
      .map((row) => row.name),
  );
  const pending = readdirSync(MIGRATIONS_DIRECTORY)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file) && !applied.has(file))
    .sort();
  const record = db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)");
  for (const file of pending) {
    const sql = readFileSync(new URL(file, MIGRATIONS_DIRECTORY), "utf8");
    db.transaction(() => {
      db.exec(sql);
      record.run(file, Date.now());
    })();
  }
  return pending;
}
