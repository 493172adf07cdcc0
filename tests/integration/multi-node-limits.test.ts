import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { Limit, type LimitRule, refund, spend } from "../../server/auth/limits";
import { redisForSuite, redisPrefix, TEST_REDIS_URL } from "../support/redis";

const available = await redisForSuite("multi-node throttles suite");

describe.skipIf(!available)("throttles shared by several nodes through Redis", () => {
  const redis = redisPrefix();
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis.clean();
  });

  /** The same budget as two nodes build it, each with its own Redis connection. */
  function onTwoNodes(rule: LimitRule): [Limit, Limit] {
    const [first, second] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    clients.push(first, second);
    return [
      new Limit(rule, { redis: first, prefix: redis.prefix }),
      new Limit(rule, { redis: second, prefix: redis.prefix }),
    ];
  }

  it("counts attempts on either node against one budget, and refunds right ones everywhere", async () => {
    const [nodeA, nodeB] = onTwoNodes({ name: "shared-budget", points: 4, durationSeconds: 60 });
    const verdicts = await Promise.all(
      Array.from({ length: 6 }, (_, index) => spend([[index % 2 === 0 ? nodeA : nodeB, "guesser"]])),
    );
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(4);
    expect((await spend([[nodeB, "someone else"]])).allowed).toBe(true);

    const [loginA, loginB] = onTwoNodes({ name: "refunded", points: 1, durationSeconds: 60 });
    expect((await spend([[loginA, "teacher"]])).allowed).toBe(true);
    refund([[loginA, "teacher"]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await spend([[loginB, "teacher"]])).allowed).toBe(true);
    expect((await spend([[loginA, "teacher"]])).allowed).toBe(false);
  });
});
