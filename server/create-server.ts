import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { CLASSROOM_FORMAT } from "../shared/formats";
import type { SessionInfo } from "../shared/session";
import type { CaucusLoadContext, CaucusServices, ClientInfo } from "../shared/views";
import { crossSiteRefusal } from "./auth/cross-site";
import { SessionCookies } from "./auth/session-cookie";
import { roomLimits, type ServerConfig } from "./config";
import { createDebateFromPack } from "./debates";
import { newId } from "./ids";
import { createJudgingServices } from "./judging/services";
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
  services: CaucusServices;
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

/**
 * On first start the essay debate exists, so a fresh install has something to open. It has no owner
 * until the first instructor account is created, which claims it (decision 030).
 */
async function ensureSeededDebate(store: Store, logger: Logger): Promise<void> {
  if ((await store.listDebates()).length > 0) return;
  const debate = await createDebateFromPack(store, ESSAY_PACK, {
    ownerId: null,
    formatId: CLASSROOM_FORMAT.id,
    teamMode: "choose",
  });
  logger.info(
    `Seeded debate "${debate.title}": students join with ${debate.studentCode}, judges with ${debate.judgeCode}; ` +
      "the first instructor to sign up at /signup runs it",
  );
}

const CLIENT_COOKIE = "caucus_client";

/** The browser's client id (a random cookie, for throttling join guesses per browser), set when missing. */
function clientId(request: express.Request, response: express.Response, secure: boolean): string {
  const existing = /(?:^|;\s*)caucus_client=([A-Za-z0-9_-]{22})(?:;|$)/.exec(request.headers.cookie ?? "")?.[1];
  if (existing) return existing;
  const created = newId();
  response.append(
    "Set-Cookie",
    `${CLIENT_COOKIE}=${created}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 365}${secure ? "; Secure" : ""}`,
  );
  return created;
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

/** Parts a test may supply instead of the defaults, e.g. a store that fails on purpose. */
export interface ServerParts {
  store?: Store;
}

export async function createServer(config: ServerConfig, parts: ServerParts = {}): Promise<CaucusServer> {
  const logger = createLogger(config.logLevel);
  const store = parts.store ?? openSqliteStore(config.databasePath);
  const cookies = new SessionCookies(await sessionSecret(config, store), config.cookieSecure);
  await ensureSeededDebate(store, logger);

  async function sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined> {
    const sessionId = cookies.read(cookieHeader);
    return sessionId ? store.getSession(sessionId) : undefined;
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use((request, response, next) => {
    const refusal = crossSiteRefusal(request);
    if (refusal) {
      response.status(403).type("text/plain").send(refusal);
      return;
    }
    response.locals.client = {
      address: request.ip ?? request.socket.remoteAddress ?? "unknown",
      clientId: clientId(request, response, config.cookieSecure),
    } satisfies ClientInfo;
    next();
  });
  app.use((request, response, next) => {
    sessionFromCookie(request.headers.cookie).then((session) => {
      response.locals.session = session ?? null;
      next();
    }, next);
  });
  const httpServer = createHttpServer(app);
  // A client that opens a connection and never finishes its request headers (a half-open upgrade)
  // is cut off after the handshake deadline rather than Node's default minute.
  httpServer.headersTimeout = config.handshakeTimeoutMs;
  const yjs = attachYjsEndpoint(httpServer, {
    store,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxConnectionsPerDocument: config.maxConnectionsPerDocument,
    maxConnectionsPerSession: config.maxConnectionsPerSession,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    trustProxy: config.trustProxy,
    roomLimits: roomLimits(config),
    sessionFromCookie,
  });
  const papers = createPaperService(store, yjs);
  const rounds = await attachRoundService(httpServer, { store, logger, papers, sessionFromCookie });
  const services: CaucusServices = {
    ...createServices(store, cookies, {
      refreshAccess: yjs.refreshAccess,
      presence: yjs.presence,
      size: yjs.size,
      restore: yjs.restore,
      disconnectSession: rounds.disconnectSession,
    }),
    ...createRoundPages(store, rounds),
    ...createJudgingServices(store, { papers, formatOf: rounds.formatOf }),
  };
  const closePages = await mountPages(config, app, httpServer, (request) => ({
    session: (request.res?.locals.session as SessionInfo | null | undefined) ?? null,
    client: request.res?.locals.client as ClientInfo,
    services,
  }));

  return {
    httpServer,
    store,
    cookies,
    yjs,
    papers,
    services,
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
