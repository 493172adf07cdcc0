import { z } from "zod";
import type { RoomLimits } from "./papers/yjs/room";

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_PATH: z.string().min(1).default("./data/caucus.db"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(4096).default(8_388_608),
  MAX_CONNECTIONS_PER_DOCUMENT: z.coerce.number().int().min(1).default(60),
  COMPACT_AFTER_LOG_BYTES: z.coerce.number().int().min(1024).default(262_144),
  LOAD_IN_PARTS_AFTER_BYTES: z.coerce.number().int().min(1024).default(131_072),
  MAX_NESTING_DEPTH: z.coerce.number().int().min(4).max(200).default(32),
  MAX_UPDATE_ITEMS: z.coerce.number().int().min(100).default(4_000),
  MAX_STRING_LENGTH: z.coerce.number().int().min(1024).default(262_144),
  MAX_PLACEMENT_STEPS: z.coerce.number().int().min(100).default(2_000),
  YJS_MESSAGES_PER_SECOND: z.coerce.number().int().min(10).default(300),
  YJS_BYTES_PER_SECOND: z.coerce.number().int().min(65_536).default(1_048_576),
  MAX_BUFFERED_BYTES: z.coerce.number().int().min(65_536).default(16_777_216),
  MAX_AWARENESS_IDS_PER_CONNECTION: z.coerce.number().int().min(1).default(4),
  MAX_CONNECTIONS_PER_SESSION: z.coerce.number().int().min(1).default(20),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(300),
  HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_MAX_AGE_DAYS: z.coerce.number().min(0.001).max(365).default(30),
  REDIS_URL: z
    .string()
    .url()
    .refine((url) => /^rediss?:\/\//.test(url), "REDIS_URL must start with redis:// or rediss://")
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, "REDIS_PREFIX: letters, digits and _ : . - only")
    .default("caucus:"),
  CLUSTER_TEST_DROP_UPDATES: z.coerce.number().int().min(0).default(0),
});

export interface ServerConfig {
  port: number;
  host: string;
  /** The SQLite file, used when `databaseUrl` is not set. */
  databasePath: string;
  /** A PostgreSQL connection URL (`postgres://…`); when set, the store is PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined;
  /** When absent, a random secret is generated once and kept in the database. */
  sessionSecret: string | undefined;
  cookieSecure: boolean;
  maxMessageBytes: number;
  maxDocumentBytes: number;
  maxConnectionsPerDocument: number;
  compactAfterLogBytes: number;
  /**
   * Stored size past which a paper is built off the main thread and applied in parts (decision 179).
   * Below it, building at once costs at most about 20 ms even for the densest paper (small paragraphs).
   */
  loadInPartsAfterBytes: number;
  /** Limits on one Yjs update: element nesting, structs, characters in one string. */
  maxNestingDepth: number;
  maxUpdateItems: number;
  maxStringLength: number;
  /** Items of the paper one update's new items may be placed among (Yjs' conflict scan, decision 189). */
  maxPlacementSteps: number;
  /** Per /yjs connection budgets (token buckets); past them the connection is closed with 4429. */
  yjsMessagesPerSecond: number;
  yjsBytesPerSecond: number;
  /** Unsent bytes past which a /yjs connection is dropped as a slow reader. */
  maxBufferedBytes: number;
  maxAwarenessIdsPerConnection: number;
  /** Open /yjs connections one session, and one client address, may hold. */
  maxConnectionsPerSession: number;
  maxConnectionsPerAddress: number;
  /** Time an upgrade may take from request to open socket. */
  handshakeTimeoutMs: number;
  logLevel: "silent" | "error" | "info";
  /** How many reverse proxies sit in front (their X-Forwarded-For is believed); 0 uses the socket's address. */
  trustProxy: number;
  /** An instructor session ends on the server this long after log-in, with its live connections. */
  sessionMaxAgeMs: number;
  /** Several nodes share live state through this Redis; unset, one node keeps it all in memory. */
  redisUrl: string | undefined;
  redisPrefix: string;
  /** Tests only: updates from other nodes this node drops (once it has heard from their sender), to prove it notices and catches up. */
  clusterTestDropUpdates: number;
  /** How pages are served: the built Remix app, Vite in middleware mode, or none (API tests). */
  pages: "build" | "dev" | "none";
}

export class ConfigError extends Error {}

/** Frames one connection, and one room, may have waiting before reading pauses (backpressure). */
const MAX_QUEUED_PER_CONNECTION = 64;
const MAX_QUEUED_PER_ROOM = 512;
/**
 * Placement steps one connection may spend per second, in updates of the most allowed: about 30 ms
 * of the server's time a second (decision 189).
 */
const COSTLIEST_PLACEMENTS_PER_SECOND = 5;

/** Longest awareness state (a caret and a name) one client id may publish. */
const MAX_AWARENESS_STATE_BYTES = 16_384;

export function roomLimits(config: ServerConfig): RoomLimits {
  return {
    maxDocumentBytes: config.maxDocumentBytes,
    compactAfterLogBytes: config.compactAfterLogBytes,
    loadInPartsAfterBytes: config.loadInPartsAfterBytes,
    update: {
      maxDepth: config.maxNestingDepth,
      maxItems: config.maxUpdateItems,
      maxStringLength: config.maxStringLength,
      maxPlacementSteps: config.maxPlacementSteps,
    },
    messagesPerSecond: config.yjsMessagesPerSecond,
    bytesPerSecond: config.yjsBytesPerSecond,
    placementStepsPerSecond: config.maxPlacementSteps * COSTLIEST_PLACEMENTS_PER_SECOND,
    maxQueuedPerConnection: MAX_QUEUED_PER_CONNECTION,
    maxQueuedPerRoom: MAX_QUEUED_PER_ROOM,
    maxBufferedBytes: config.maxBufferedBytes,
    maxAwarenessIdsPerConnection: config.maxAwarenessIdsPerConnection,
    maxAwarenessStateBytes: MAX_AWARENESS_STATE_BYTES,
  };
}

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
    databaseUrl: env.DATABASE_URL,
    sessionSecret: env.SESSION_SECRET,
    cookieSecure: env.COOKIE_SECURE,
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
    maxConnectionsPerDocument: env.MAX_CONNECTIONS_PER_DOCUMENT,
    compactAfterLogBytes: env.COMPACT_AFTER_LOG_BYTES,
    loadInPartsAfterBytes: env.LOAD_IN_PARTS_AFTER_BYTES,
    maxNestingDepth: env.MAX_NESTING_DEPTH,
    maxUpdateItems: env.MAX_UPDATE_ITEMS,
    maxStringLength: env.MAX_STRING_LENGTH,
    maxPlacementSteps: env.MAX_PLACEMENT_STEPS,
    yjsMessagesPerSecond: env.YJS_MESSAGES_PER_SECOND,
    yjsBytesPerSecond: env.YJS_BYTES_PER_SECOND,
    maxBufferedBytes: env.MAX_BUFFERED_BYTES,
    maxAwarenessIdsPerConnection: env.MAX_AWARENESS_IDS_PER_CONNECTION,
    maxConnectionsPerSession: env.MAX_CONNECTIONS_PER_SESSION,
    maxConnectionsPerAddress: env.MAX_CONNECTIONS_PER_ADDRESS,
    handshakeTimeoutMs: env.HANDSHAKE_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    sessionMaxAgeMs: env.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    clusterTestDropUpdates: env.CLUSTER_TEST_DROP_UPDATES,
    pages,
  };
}
