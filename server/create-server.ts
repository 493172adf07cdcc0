import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { SessionInfo } from "../shared/session";
import type { CaucusLoadContext } from "../shared/views";
import { SessionCookies } from "./auth/session-cookie";
import type { ServerConfig } from "./config";
import { createDebateFromPack } from "./debates";
import { createLogger, type Logger } from "./logger";
import { createPaperService, type PaperService } from "./papers";
import { createRoundPages } from "./rounds/round-pages";
import { attachRoundService, type RoundService } from "./rounds/round-service";
import { ESSAY_PACK } from "./seed/essay-pack";
import { createServices } from "./services";
import { openSqliteStore } from "./store/sqlite";
import type { Store } from "./store/types";
import { attachYjsEndpoint, type YjsEndpoint } from "./yjs/endpoint";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const SECRET_SETTING = "session_secret";

export interface CaucusServer {
  httpServer: Server;
  store: Store;
  cookies: SessionCookies;
  yjs: YjsEndpoint;
  papers: PaperService;
  rounds: RoundService;
  logger: Logger;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

async function sessionSecret(config: ServerConfig, store: Store): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  const stored = await store.getSetting(SECRET_SETTING);
  if (stored) return stored;
  const generated = randomBytes(32).toString("base64url");
  await store.setSetting(SECRET_SETTING, generated);
  return generated;
}

/** On first start the essay debate exists, so a fresh install has something to open. */
async function ensureSeededDebate(store: Store, logger: Logger): Promise<void> {
  if ((await store.listDebates()).length > 0) return;
  const debate = await createDebateFromPack(store, ESSAY_PACK);
  logger.info(
    `Seeded debate "${debate.title}": students join with ${debate.studentCode}, judges with ${debate.judgeCode}; ` +
      `instructor link /host/${debate.hostKey}`,
  );
}

async function mountPages(
  config: ServerConfig,
  app: express.Express,
  httpServer: Server,
  loadContext: (request: express.Request) => CaucusLoadContext,
): Promise<() => Promise<void>> {
  if (config.pages === "none") return async () => {};
  if (config.pages === "dev") {
    const vite = await import("vite").then((module) =>
      module.createServer({ root: projectRoot, server: { middlewareMode: true, hmr: { server: httpServer } } }),
    );
    app.use(vite.middlewares);
    app.all(
      "*",
      createRequestHandler({
        build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
        getLoadContext: loadContext,
      }),
    );
    return () => vite.close();
  }
  const buildDirectory = `${projectRoot}build/`;
  app.use("/assets", express.static(`${buildDirectory}client/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(`${buildDirectory}client`, { maxAge: "1h" }));
  const build = (await import(`${buildDirectory}server/index.js`)) as ServerBuild;
  app.all("*", createRequestHandler({ build, getLoadContext: loadContext }));
  return async () => {};
}

export async function createServer(config: ServerConfig): Promise<CaucusServer> {
  const logger = createLogger(config.logLevel);
  const store = openSqliteStore(config.databasePath);
  const cookies = new SessionCookies(await sessionSecret(config, store), config.cookieSecure);
  await ensureSeededDebate(store, logger);

  async function sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined> {
    const sessionId = cookies.read(cookieHeader);
    return sessionId ? store.getSession(sessionId) : undefined;
  }

  const app = express();
  app.disable("x-powered-by");
  app.use((request, response, next) => {
    sessionFromCookie(request.headers.cookie).then((session) => {
      response.locals.session = session ?? null;
      next();
    }, next);
  });
  const httpServer = createHttpServer(app);
  const yjs = attachYjsEndpoint(httpServer, {
    store,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    sessionFromCookie,
  });
  const papers = createPaperService(store, yjs);
  const rounds = await attachRoundService(httpServer, { store, logger, papers, sessionFromCookie });
  const services = { ...createServices(store, cookies), ...createRoundPages(store, rounds) };
  const closePages = await mountPages(config, app, httpServer, (_request) => ({
    session: (_request.res?.locals.session as SessionInfo | null | undefined) ?? null,
    services,
  }));

  return {
    httpServer,
    store,
    cookies,
    yjs,
    papers,
    rounds,
    logger,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    async close() {
      await yjs.close();
      httpServer.closeAllConnections();
      await rounds.close();
      await closePages();
      await store.close();
    },
  };
}
