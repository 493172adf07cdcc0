import type { Redis } from "ioredis";

/** The commands socket.io's Redis adapter sends without handling their promise. */
const ADAPTER_COMMANDS = new Set<PropertyKey>(["publish", "psubscribe", "subscribe", "punsubscribe", "unsubscribe"]);

/**
 * socket.io's Redis adapter (8.3) calls `publish`, `subscribe` and their kind without a `.catch`.
 * When Redis is down, ioredis rejects those promises once their retries run out, or when the
 * client is closed while connecting: an unhandled rejection, which ends a Node 20 process. This
 * gives the adapter the same client with each such promise handled; the adapter's own `error`
 * listener and the bus's re-sync still deal with the outage.
 */
export function withHandledAdapterCommands(client: Redis, onFailure: (error: unknown) => void): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || !ADAPTER_COMMANDS.has(property)) return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (result instanceof Promise) result.catch(onFailure);
        return result;
      };
    },
  });
}
