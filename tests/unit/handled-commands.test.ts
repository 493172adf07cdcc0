import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { withHandledAdapterCommands } from "../../server/cluster/handled-commands";

describe("the Redis adapter's clients", () => {
  it("hand a failed publish or subscribe to onFailure instead of leaving it unhandled", async () => {
    // Port 1 on the loopback refuses at once; no retries per command, so each fails on the first refusal.
    const client = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    const failures: unknown[] = [];
    const wrapped = withHandledAdapterCommands(client, (error) => failures.push(error));
    // Called as the adapter calls them: the returned promises are dropped.
    wrapped.publish("caucus#socket.io#", "packet");
    wrapped.subscribe("caucus#socket.io-request#");
    await expect.poll(() => failures.length).toBe(2);
    expect(failures.every((error) => error instanceof Error)).toBe(true);
    // Everything else is the client itself.
    expect(wrapped.status).toBe(client.status);
    client.disconnect();
  });
});
