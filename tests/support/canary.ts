import { Worker } from "node:worker_threads";
import * as Y from "yjs";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "./caucus-client";

export interface CanaryReport {
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Edits written but never seen by the reader before the canary stopped. */
  lost: number;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * Two honest students typing in a paper nobody attacks: one writes a short line every
 * `intervalMs`, the other measures how long each line takes to reach it. Their latency is what
 * hostile traffic elsewhere must not hurt.
 */
export async function runCanary(
  wsUrl: string,
  docId: string,
  writerCookie: string,
  readerCookie: string,
  intervalMs = 25,
) {
  const writer = caucusClient(wsUrl, docId, writerCookie);
  const reader = caucusClient(wsUrl, docId, readerCookie);
  await Promise.all([writer.synced(), reader.synced()]);
  const pending = new Map<string, number>();
  let latencies: number[] = [];
  let counter = 0;
  // Only the paragraphs a change touched are read: reading the whole paper, which grows by 40 lines
  // a second for as long as the canary runs, made its own latency grow with the run.
  const fragment = reader.doc.getXmlFragment(PAPER_FRAGMENT);
  fragment.observeDeep((events) => {
    if (pending.size === 0) return;
    const touched = new Set<Y.AbstractType<unknown>>();
    for (const event of events) {
      if (event.target === fragment) {
        for (const item of event.changes.added) {
          for (const content of item.content.getContent()) {
            if (content instanceof Y.AbstractType) touched.add(content);
          }
        }
        continue;
      }
      let paragraph = event.target;
      while (paragraph.parent && paragraph.parent !== fragment) paragraph = paragraph.parent;
      touched.add(paragraph);
    }
    for (const paragraph of touched) {
      const text = paragraph.toString();
      for (const [token, sentAt] of pending) {
        if (!text.includes(`>${token}<`)) continue;
        latencies.push(performance.now() - sentAt);
        pending.delete(token);
      }
    }
  });
  const timer = setInterval(() => {
    const token = `canary-${counter++}`;
    pending.set(token, performance.now());
    writer.write(token);
  }, intervalMs);

  const report = (lost: number): CanaryReport => {
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      samples: sorted.length,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? 0,
      lost,
    };
  };
  return {
    /** Starts a new measurement window (e.g. per attack). */
    reset() {
      latencies = [];
    },
    /** Waits for lines in flight (up to 2 s), then reports the window. */
    async measure(): Promise<CanaryReport> {
      const inFlight = [...pending.keys()];
      const unseen = () => inFlight.filter((token) => pending.has(token)).length;
      const deadline = performance.now() + 2000;
      while (unseen() > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      return report(unseen());
    },
    stop() {
      clearInterval(timer);
      writer.destroy();
      reader.destroy();
    },
  };
}

export interface CanaryOptions {
  wsUrl: string;
  docId: string;
  writerCookie: string;
  readerCookie: string;
  intervalMs?: number;
}

type CanaryRequest = { type: "reset" } | { type: "measure" } | { type: "stop" };

/**
 * The canary in a worker thread, with its own event loop: what the test process does to attack
 * (building frames, opening hundreds of sockets) does not count against the server's latency.
 */
export async function startCanary(options: CanaryOptions) {
  const worker = new Worker(new URL("./canary-worker.mjs", import.meta.url), {
    workerData: options,
  });
  const replies: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  worker.on("message", (message: unknown) => replies.shift()?.resolve(message));
  worker.on("error", (error) => {
    for (const reply of replies.splice(0)) reply.reject(error);
  });
  const ask = <T>(request: CanaryRequest) =>
    new Promise<T>((resolve, reject) => {
      replies.push({ resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(request);
    });
  await new Promise<void>((resolve, reject) => replies.push({ resolve: () => resolve(), reject }));
  return {
    reset: () => ask<null>({ type: "reset" }),
    measure: () => ask<CanaryReport>({ type: "measure" }),
    async stop() {
      await ask<null>({ type: "stop" });
      await worker.terminate();
    },
  };
}
