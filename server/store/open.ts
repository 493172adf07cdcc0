import type { ServerConfig } from "../config";
import type { Logger } from "../logger";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/**
 * PostgreSQL when `DATABASE_URL` is set, else the embedded SQLite file (the default). The
 * PostgreSQL driver is imported only then: a node on SQLite does not carry it (decision 176).
 */
export async function openStore(
  config: Pick<ServerConfig, "databasePath" | "databaseUrl">,
  logger?: Logger,
): Promise<Store> {
  if (!config.databaseUrl) return openSqliteStore(config.databasePath);
  const { openPostgresStore } = await import("./postgres");
  return openPostgresStore(config.databaseUrl, logger);
}
