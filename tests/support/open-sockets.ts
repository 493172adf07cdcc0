import WebSocket from "ws";

/**
 * Opens one /yjs socket per cookie at the same instant and prints, as JSON, how each ended: served
 * (a first frame arrived), closed with a code, or refused with an HTTP status. Run as its own
 * process (tests/integration/hostile-clients.test.ts) so the cost of opening hundreds of sockets
 * does not land on the process that measures the canary.
 */
const { url, cookies } = JSON.parse(process.argv[2]!) as { url: string; cookies: string[] };
// Started ahead, so loading this script is not part of the burst: it says "ready" and waits for a line.
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const started = performance.now();
const outcomes = await Promise.all(
  cookies.map(
    (cookie) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, { headers: { cookie } });
        let settled = false;
        const settle = (outcome: string) => {
          if (settled) return;
          settled = true;
          socket.terminate();
          resolve(outcome);
        };
        socket.once("message", () => settle("served"));
        socket.once("close", (code) => settle(`closed ${code}`));
        socket.once("unexpected-response", (_request, response) => settle(`http ${response.statusCode}`));
        socket.once("error", () => settle("error"));
      }),
  ),
);
process.stdout.write(JSON.stringify({ outcomes, elapsedMs: performance.now() - started }));
process.exit(0);
