import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";

export interface SocketBurstResult {
  /** How each socket ended: served, closed with a code, refused with an HTTP status, or error. */
  outcomes: string[];
  elapsedMs: number;
}

export interface SocketOpener {
  /** Opens every socket at once; resolves when each has ended. */
  burst(): Promise<SocketBurstResult>;
}

/**
 * Starts tests/support/open-sockets.ts in a process of its own at the lowest priority and resolves
 * once it is loaded and waiting. An attacker's own CPU is not the server's: opening hundreds of
 * sockets should not take the two cores the server and the canary share (decision 187).
 */
export async function startSocketOpener(url: string, cookies: string[]): Promise<SocketOpener> {
  const child = spawn(process.execPath, [
    "--import",
    "tsx",
    fileURLToPath(new URL("./open-sockets.ts", import.meta.url)),
    JSON.stringify({ url, cookies }),
  ]);
  setPriority(child.pid!, 19);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("The socket opener did not start within 20 s")), 20_000);
    const onData = () => {
      if (!output.startsWith("ready\n")) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve();
    };
    child.stdout.on("data", onData);
    exited.then((code) => reject(new Error(`The socket opener exited with ${code} before it was ready`)));
  });
  return {
    async burst() {
      child.stdin.write("go\n");
      const code = await exited;
      if (code !== 0) throw new Error(`The socket opener exited with ${code}`);
      return JSON.parse(output.slice("ready\n".length)) as SocketBurstResult;
    },
  };
}
