import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "./store/types";

/**
 * What an operator watches on /metrics (prom-client). One registry per server, so two servers in
 * one test process do not share counters. Gauges that mirror live state read it when scraped.
 */
export interface Metrics {
  registry: Registry;
  roundCommands: Counter<"outcome">;
  refusals: Counter<"reason">;
  redisLag: Histogram;
  redisResyncs: Counter<"cause">;
  /** Live counts read at scrape time. */
  observe(sources: { yjsConnections(): number; roundSockets(): number; openPapers(): number }): void;
  /** The store with every call timed (and stored updates counted). */
  timeStore(store: Store): Store;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "caucus_process_" });
  const storeSeconds = new Histogram({
    name: "caucus_store_seconds",
    help: "Time a store call takes, by operation",
    labelNames: ["operation"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const updatesStored = new Counter({
    name: "caucus_updates_stored_total",
    help: "Yjs updates appended to the durable log",
    registers: [registry],
  });
  const roundCommands = new Counter({
    name: "caucus_round_commands_total",
    help: "Round commands handled, by outcome (applied, refused, failed)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: "caucus_refusals_total",
    help: "Connections closed or requests refused by the server, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const redisLag = new Histogram({
    name: "caucus_redis_lag_seconds",
    help: "Time from a node publishing a paper's update or presence to this node receiving it",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const redisResyncs = new Counter({
    name: "caucus_redis_resyncs_total",
    help: "Open papers read again from the store after a Redis reconnect or a gap in a node's messages",
    labelNames: ["cause"] as const,
    registers: [registry],
  });
  return {
    registry,
    roundCommands,
    refusals,
    redisLag,
    redisResyncs,
    observe(sources) {
      new Gauge({
        name: "caucus_connections",
        help: "Open connections, by kind (yjs editors, socket.io round followers)",
        labelNames: ["kind"] as const,
        registers: [registry],
        collect() {
          this.set({ kind: "yjs" }, sources.yjsConnections());
          this.set({ kind: "socketio" }, sources.roundSockets());
        },
      });
      new Gauge({
        name: "caucus_open_papers",
        help: "Papers loaded in this node's memory",
        registers: [registry],
        collect() {
          this.set(sources.openPapers());
        },
      });
    },
    timeStore(store) {
      return new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== "function" || typeof property !== "string" || property === "close") return value;
          return (...args: unknown[]) => {
            const stop = storeSeconds.startTimer({ operation: property });
            const result = (value as (...callArgs: unknown[]) => unknown).apply(target, args);
            if (!(result instanceof Promise)) {
              stop();
              return result;
            }
            return result.then(
              (resolved) => {
                stop();
                if (property === "appendUpdate") updatesStored.inc();
                return resolved;
              },
              (error: unknown) => {
                stop();
                throw error;
              },
            );
          };
        },
      });
    },
  };
}
