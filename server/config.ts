import { z } from "zod";

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_PATH: z.string().min(1).default("./data/caucus.db"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(4096).default(8_388_608),
  MAX_CONNECTIONS_PER_DOCUMENT: z.coerce.number().int().min(1).default(60),
  COMPACT_AFTER_LOG_BYTES: z.coerce.number().int().min(1024).default(262_144),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_MAX_AGE_DAYS: z.coerce.number().min(0.001).max(365).default(30),
});

export interface ServerConfig {
  port: number;
  host: string;
  databasePath: string;
  /** When absent, a random secret is generated once and kept in the database. */
  sessionSecret: string | undefined;
  cookieSecure: boolean;
  maxMessageBytes: number;
  maxDocumentBytes: number;
  maxConnectionsPerDocument: number;
  compactAfterLogBytes: number;
  logLevel: "silent" | "error" | "info";
  /** How many reverse proxies sit in front (their X-Forwarded-For is believed); 0 uses the socket's address. */
  trustProxy: number;
  /** An instructor session ends on the server this long after log-in, with its live connections. */
  sessionMaxAgeMs: number;
  /** How pages are served: the built Remix app, Vite in middleware mode, or none (API tests). */
  pages: "build" | "dev" | "none";
}

export class ConfigError extends Error {}

export function configFromEnvironment(environment: NodeJS.ProcessEnv, pages: ServerConfig["pages"]): ServerConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${problems.join("\n")}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databasePath: env.DATABASE_PATH,
    sessionSecret: env.SESSION_SECRET,
    cookieSecure: env.COOKIE_SECURE,
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
    maxConnectionsPerDocument: env.MAX_CONNECTIONS_PER_DOCUMENT,
    compactAfterLogBytes: env.COMPACT_AFTER_LOG_BYTES,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    sessionMaxAgeMs: env.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000,
    pages,
  };
}
