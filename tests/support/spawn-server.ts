import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface SpawnedServer {
  url: string;
  databasePath: string;
  child: ChildProcess;
  output(): string;
  /** Stops the process (SIGTERM lets it flush; SIGKILL simulates a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** How the server runs: its TypeScript through tsx, or the compiled build/caucus-server.js `npm start` runs. */
export type ServerRuntime = "source" | "build";

const RUNTIME_ARGS: Record<ServerRuntime, string[]> = {
  source: ["--import", "tsx", "server/main.ts"],
  build: ["build/caucus-server.js"],
};

/**
 * Runs the real server on port 0 and resolves with its URL once it says it is listening. By
 * default from source, so a test needs no build; `runtime: "build"` runs exactly what `npm start`
 * runs (after `npm run build`).
 */
export function spawnServer(
  options: { databasePath?: string; env?: Record<string, string>; runtime?: ServerRuntime } = {},
): Promise<SpawnedServer> {
  const databasePath = options.databasePath ?? join(mkdtempSync(join(tmpdir(), "caucus-")), "caucus.db");
  const child = spawn(process.execPath, RUNTIME_ARGS[options.runtime ?? "source"], {
    cwd: projectRoot,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: databasePath, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Server did not start within 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Caucus listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timeout);
      resolve({
        url: match[1]!,
        databasePath,
        child,
        output: () => output,
        stop: (signal = "SIGTERM") =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill(signal);
          }),
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timeout);
      reject(new Error(`Server exited with ${code} before listening:\n${output}`));
    });
  });
}

export function removeDatabase(databasePath: string): void {
  rmSync(join(databasePath, ".."), { recursive: true, force: true });
}
