import type { ServerConfig } from "../config";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/** PostgreSQL when `DATABASE_URL` is set, else the embedded SQLite file (the default). */
export function openStore(config: Pick<ServerConfig, "databasePath" | "databaseUrl">): Promise<Store> {
  return config.databaseUrl
    ? openPostgresStore(config.databaseUrl)
    : Promise.resolve(openSqliteStore(config.databasePath));
}
