import { randomUUID } from "node:crypto";
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
