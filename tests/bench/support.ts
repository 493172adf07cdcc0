import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import type { Store } from "../../server/store/types";

const CLOCK_TICKS_PER_SECOND = 100;

/** `npm run bench -- --quick` (or BENCH_QUICK=1): shorter windows and fewer levels, for a busy 2-core box. */
export const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

/**
 * `npm run bench -- coediting --nodes 2` (or BENCH_NODES=2): Caucus as that many nodes on one
 * PostgreSQL database and one Redis, each paper's clients spread over them.
 */
export const NODES = Number(optionValue("--nodes") ?? process.env.BENCH_NODES ?? 1);
if (!Number.isInteger(NODES) || NODES < 1) throw new Error(`--nodes must be a whole number from 1, not ${NODES}`);
/** `--postgres` (or BENCH_POSTGRES=1): those nodes even when there is one, to tell the store's share from the second node's. */
export const ON_POSTGRES = NODES > 1 || process.argv.includes("--postgres") || process.env.BENCH_POSTGRES === "1";

function optionValue(flag: string): string | undefined {
  const index = process.argv.findIndex((argument) => argument === flag || argument.startsWith(`${flag}=`));
  if (index === -1) return undefined;
  const argument = process.argv[index]!;
  return argument === flag ? process.argv[index + 1] : argument.slice(flag.length + 1);
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
export const round2 = (value: number) => Math.round(value * 100) / 100;

export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export function processMemoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(field));
  return round1(Number(line?.replace(/\D+/g, "")) / 1024);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReferenceServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts y-websocket 2's bundled server (tests/bench/reference-server.cjs) on a free port. */
export function spawnReferenceServer(): Promise<ReferenceServer> {
  const script = fileURLToPath(new URL("./reference-server.cjs", import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /reference listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      resolve({
        url: match[1]!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => reject(new Error(`Reference server exited with ${code}:\n${output}`)));
  });
}

/** A paper as its room would build it from the store, and the last log entry it holds. */
export async function storedPaper(store: Store, docId: string): Promise<{ doc: Y.Doc; lastSeq: number }> {
  const stored = (await store.loadDocument(docId))!;
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return { doc, lastSeq: stored.lastSeq };
}
