import type { ServerConfig } from "../config";
import type { Logger } from "../logger";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/** PostgreSQL when `DATABASE_URL` is set, else the embedded SQLite file (the default). */
export function openStore(config: Pick<ServerConfig, "databasePath" | "databaseUrl">, logger?: Logger): Promise<Store> {
  return config.databaseUrl
    ? openPostgresStore(config.databaseUrl, logger)
    : Promise.resolve(openSqliteStore(config.databasePath));
}
