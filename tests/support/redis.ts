import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { Redis } from "ioredis";

/** The Redis the multi-node suites use; the machines this project runs on have one here. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether Redis answers. When it does not, multi-node suites are skipped with a printed reason,
 * except under CI=true, where a missing Redis fails the run instead.
 */
export async function redisForSuite(suite: string): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    const reason = `${suite}: Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message})`;
    if (process.env.CI === "true") throw new Error(`${reason}; CI never skips the multi-node suites`);
    console.log(`SKIPPED ${reason}. Start Redis (or set TEST_REDIS_URL) to run it.`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A key and channel prefix of its own for one test run, and a way to remove its keys afterwards. */
export function redisPrefix(): { prefix: string; clean(): Promise<void> } {
  const prefix = `caucus-test-${randomUUID()}:`;
  return {
    prefix,
    async clean() {
      const client = new Redis(TEST_REDIS_URL);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    },
  };
}

/** Cuts a node's connection by its client name, as a Redis restart or a network blip would. */
export async function killRedisClient(namePrefix: string): Promise<number> {
  const client = new Redis(TEST_REDIS_URL);
  const list = (await client.client("LIST")) as string;
  const ids = list
    .split("\n")
    .filter((line) => line.includes(` name=${namePrefix}`))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await client.client("KILL", "ID", id);
  client.disconnect();
  return ids.length;
}

/** A redis-server of one test's own, which the test may stop and start again on the same port. */
export interface PrivateRedis {
  url: string;
  /** Stops it with SIGTERM and waits until the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port; resolves once it answers PING. */
  start(): Promise<void>;
}

/**
 * Where redis-server is, or undefined with a printed reason when it is not installed; under
 * CI=true a missing redis-server fails the run instead.
 */
export function redisServerBinary(suite: string): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (found) return found;
  const reason = `${suite}: redis-server is not installed`;
  if (process.env.CI === "true") throw new Error(`${reason}; CI never skips the Redis restart suite`);
  console.log(`SKIPPED ${reason}. Install redis-server to run it.`);
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrivateRedis(binary: string): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const process = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    child = process;
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      for (let attempt = 0; ; attempt++) {
        if (process.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${process.exitCode}`);
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch (error) {
          if (attempt >= 100) throw error;
          probe.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };
  await start();
  return { url, start, stop };
}
