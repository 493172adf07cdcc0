import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP balancer in front of several nodes, as nginx would be: each new connection goes to the
 * current target; `target(url)` moves new connections (a failed node taken out of the pool).
 */
export async function startBalancer(firstTarget: string): Promise<{
  url: string;
  wsUrl: string;
  target(url: string): void;
  close(): Promise<void>;
}> {
  let target = new URL(firstTarget);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    target(url) {
      target = new URL(url);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
