import { ConfigError, configFromEnvironment } from "./config";
import { createServer } from "./create-server";

async function main(): Promise<void> {
  const pages = process.argv.includes("--dev") ? "dev" : "build";
  let config: ReturnType<typeof configFromEnvironment>;
  try {
    config = configFromEnvironment(process.env, pages);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const server = await createServer(config);
  const address = await server.listen();
  const shownHost = config.host === "0.0.0.0" ? "localhost" : config.host;
  // Tests and scripts read this line to find the port when PORT=0, whatever LOG_LEVEL says.
  console.log(`Caucus listening on http://${shownHost}:${address.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info("Shutting down: refusing new connections, storing pending changes, closing sockets", {
      signal,
    });
    server.close().then(
      () => {
        server.logger.info("Shut down", { signal });
        process.exit(0);
      },
      (error) => {
        server.logger.error("Shutdown failed", error, { signal });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  console.error("Caucus failed to start:", error);
  process.exit(1);
});
