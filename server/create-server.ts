import { randomBytes, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import { DEFAULT_TEAM_MODE } from "../shared/classroom/rules";
import { CLASSROOM_FORMAT } from "../shared/rounds/formats";
import type { CaucusLoadContext, CaucusServices, ClientInfo } from "../shared/services";
import type { SessionInfo } from "../shared/session";
import { crossSiteRefusal } from "./auth/cross-site";
import { DeviceCookies } from "./auth/device-cookie";
import { SessionCookies } from "./auth/session-cookie";
import { bodyLimits } from "./body-limits";
import { attachControlChannel } from "./classroom/control-channel";
import { createDebateFromPack } from "./classroom/debates";
import { createServices } from "./classroom/services";
import type { ClusterBus } from "./cluster/bus";
import { roomLimits, type ServerConfig } from "./config";
import { createJudgingServices } from "./judging/services";
import { createLogger, type Logger } from "./logger";
import { createMetrics, type Metrics } from "./metrics";
import { compactLongLogs } from "./papers/compact-logs";
import { createPaperService, type PaperService } from "./papers/paper-service";
import { attachYjsEndpoint, type YjsEndpoint } from "./papers/yjs/endpoint";
import { createRoundPages } from "./rounds/round-pages";
import { attachRoundService, type RoundService } from "./rounds/round-service";
import { ESSAY_PACK } from "./seed/essay-pack";
import { openStore } from "./store/open";
import type { Store } from "./store/types";

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
  metrics: Metrics;
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
    teamMode: DEFAULT_TEAM_MODE,
  });
  logger.info(
    `Seeded debate "${debate.title}": students join with ${debate.studentCode}, judges with ${debate.judgeCode}; ` +
      "the first instructor to sign up at /signup runs it",
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

/**
 * helmet's headers with a policy for Caucus's pages: scripts and styles from this origin (Remix
 * inlines its hydration data, React and the editor set style attributes, hence 'unsafe-inline'),
 * websockets to this origin, no framing by anyone, no referrer (join links carry codes). Over
 * plain http (a classroom LAN), no HSTS and no upgrade of requests to https. Vite's dev server
 * injects scripts and a websocket of its own, so dev mode keeps only the other headers.
 */
function securityHeaders(config: ServerConfig) {
  return helmet({
    contentSecurityPolicy:
      config.pages === "dev"
        ? false
        : {
            useDefaults: false,
            directives: {
              defaultSrc: ["'self'"],
              scriptSrc: ["'self'", "'unsafe-inline'"],
              styleSrc: ["'self'", "'unsafe-inline'"],
              imgSrc: ["'self'", "data:", "blob:"],
              fontSrc: ["'self'", "data:"],
              connectSrc: ["'self'"],
              objectSrc: ["'none'"],
              baseUri: ["'self'"],
              formAction: ["'self'"],
              frameAncestors: ["'none'"],
              ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
            },
          },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: config.cookieSecure,
  });
}

/** Parts a test may supply instead of the defaults, e.g. a store that fails on purpose. */
export interface ServerParts {
  store?: Store;
}

/** The id a request is logged under: the proxy's X-Request-Id when it sent a sane one, else a new one. */
function requestId(request: express.Request): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

export async function createServer(config: ServerConfig, parts: ServerParts = {}): Promise<CaucusServer> {
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const store = metrics.timeStore(parts.store ?? (await openStore(config, logger)));
  /** Set once shutdown begins: /readyz says 503 so the balancer sends nobody new here. */
  let shuttingDown = false;
  const secret = await sessionSecret(config, store);
  const cookies = new SessionCookies(secret, config.cookieSecure);
  const devices = new DeviceCookies(secret, config.cookieSecure);
  await ensureSeededDebate(store, logger);
  await compactLongLogs(store, logger);

  async function sessionFromCookie(cookieHeader: string | undefined): Promise<SessionInfo | undefined> {
    const sessionId = cookies.read(cookieHeader);
    return sessionId ? store.getSession(sessionId) : undefined;
  }

  /** The browser's device id, issued (and set on the answer) when missing or forged. */
  function deviceId(request: express.Request, response: express.Response): string {
    const known = devices.read(request.headers.cookie);
    if (known) return known;
    const issued = devices.issue();
    response.append("Set-Cookie", issued.setCookie);
    return issued.deviceId;
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  // Probes and the scraper come before cookies, sessions and the request log (decision 131).
  app.get("/healthz", (_request, response) => {
    response.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  app.get("/readyz", (_request, response) => {
    ready().then(
      (problem) => {
        response.set("Cache-Control", "no-store").type("text/plain");
        if (problem) response.status(503).send(problem);
        else response.send("ready");
      },
      (error: unknown) => {
        logger.error("Readiness check failed", error);
        response.status(503).type("text/plain").send("not ready");
      },
    );
  });
  app.get("/metrics", (_request, response, next) => {
    metrics.registry.metrics().then((text) => {
      response.set("Cache-Control", "no-store").type(metrics.registry.contentType).send(text);
    }, next);
  });
  app.use((request, response, next) => {
    const id = requestId(request);
    const started = performance.now();
    response.set("X-Request-Id", id);
    response.once("finish", () => {
      const fields = {
        requestId: id,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
      };
      if (response.statusCode === 403 || response.statusCode === 413 || response.statusCode === 429) {
        metrics.refusals.inc({ reason: `http_${response.statusCode}` });
      }
      if (response.statusCode >= 500) logger.error("Request failed", undefined, fields);
      else logger.info("Request", fields);
    });
    next();
  });
  app.use((request, response, next) => {
    const refusal = crossSiteRefusal(request);
    if (refusal) {
      response.status(403).type("text/plain").send(refusal);
      return;
    }
    response.locals.client = {
      address: request.ip ?? request.socket.remoteAddress ?? "unknown",
      clientId: deviceId(request, response),
    } satisfies ClientInfo;
    next();
  });
  app.use(securityHeaders(config));
  // Pages carry join codes and session-specific content: never kept in a shared or back-forward cache.
  // Static assets set their own Cache-Control over this one.
  app.use((_request, response, next) => {
    response.set("Cache-Control", "no-store");
    next();
  });
  app.use(bodyLimits);
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
    onRefusal: (reason) => metrics.refusals.inc({ reason }),
  });
  const papers = createPaperService(store, yjs);
  let rounds: RoundService | null = null;
  const severalNodes = config.redisUrl ? await import("./cluster/several-nodes") : null;
  const cluster: ClusterBus | null =
    severalNodes && config.redisUrl
      ? await severalNodes.connectCluster({
          redisUrl: config.redisUrl,
          prefix: config.redisPrefix,
          store,
          registry: yjs.registry,
          logger,
          metrics,
          onAccessChanged: (docId) =>
            void yjs
              .refreshLocalAccess(docId)
              .catch((error: unknown) =>
                logger.error("Applying another node's access change failed", error, { docId }),
              ),
          onSessionEnded: (sessionId) => endLocalSession(sessionId),
          dropInboundUpdates: config.clusterTestDropUpdates,
        })
      : null;
  if (cluster) {
    yjs.onAccessChanged = cluster.accessChanged;
    logger.info("Sharing live state with other nodes through Redis", { nodeId: cluster.nodeId });
  }
  const sharedLimits = cluster ? { redis: cluster.publisher, prefix: config.redisPrefix } : null;
  // socket.io's adapter gets its own two connections: its subscriber must not share ours.
  const adapterClients = cluster ? [cluster.publisher.duplicate(), cluster.subscriber.duplicate()] : [];
  // Said once per outage, like the presence writer's failures: the clients reconnect by themselves.
  let adapterFailing = false;
  const adapterCommandFailed = (error: unknown) => {
    if (adapterFailing) return;
    adapterFailing = true;
    logger.info(`socket.io's Redis adapter: ${(error as Error).message}`);
  };
  for (const client of adapterClients) client.on("ready", () => (adapterFailing = false));
  const roundService = await attachRoundService(httpServer, {
    store,
    logger,
    papers,
    sessionFromCookie,
    onCommand: (outcome) => metrics.roundCommands.inc({ outcome }),
    sharedLimits,
    ...(severalNodes && cluster
      ? {
          adapter: severalNodes.createAdapter(
            severalNodes.withHandledAdapterCommands(adapterClients[0]!, adapterCommandFailed),
            severalNodes.withHandledAdapterCommands(adapterClients[1]!, adapterCommandFailed),
            { key: `${config.redisPrefix}socket.io` },
          ),
        }
      : {}),
  });
  rounds = roundService;
  // The control room counts people on every node: each node shares its own through Redis.
  const sharedPresence =
    severalNodes && cluster
      ? severalNodes.sharePresence({
          redis: cluster.publisher,
          prefix: config.redisPrefix,
          nodeId: cluster.nodeId,
          logger,
          local: () => ({ documents: cluster.localPresence(), debates: roundService.followedDebates() }),
        })
      : null;
  metrics.observe({
    yjsConnections: () => yjs.connectionCount,
    roundSockets: () => roundService.socketCount,
    openPapers: () => yjs.registry.loadedCount,
  });

  /** Why this node should get no traffic now, or null when it is ready. */
  async function ready(): Promise<string | null> {
    if (shuttingDown) return "shutting down";
    await store.getSetting(SECRET_SETTING);
    await cluster?.ping();
    return null;
  }
  function endLocalSession(sessionId: string): void {
    yjs.closeSession(sessionId);
    rounds?.disconnectSession(sessionId);
  }
  function endSession(sessionId: string): void {
    cluster?.sessionEnded(sessionId);
    endLocalSession(sessionId);
  }
  // Instructor sessions end on the server after sessionMaxAgeMs, whatever the cookie says.
  const expireSessions = () =>
    store.deleteAccountSessionsCreatedBefore(Date.now() - config.sessionMaxAgeMs).then(
      (ended) => ended.forEach(endSession),
      (error: unknown) => logger.error("Expiring sessions failed", error),
    );
  const expiry = setInterval(expireSessions, Math.min(60_000, Math.max(250, config.sessionMaxAgeMs / 4)));
  expiry.unref();
  const controlChannel = attachControlChannel({
    io: roundService.io,
    store,
    logger,
    acrossNodes: cluster !== null,
    // Called only once sockets connect, after the services below exist.
    controlView: (session, debateId) => services.controlView(session, debateId),
  });
  const services: CaucusServices = {
    ...createServices(
      store,
      cookies,
      {
        refreshAccess: yjs.refreshAccess,
        presence: async (docId) => [
          ...(await yjs.presence(docId)),
          ...((await sharedPresence?.documentPresence(docId)) ?? []),
        ],
        endSession,
        followers: async (debateId) => [
          ...roundService.followers(debateId),
          ...((await sharedPresence?.followers(debateId)) ?? []),
        ],
        size: yjs.size,
        restore: yjs.restore,
        controlChanged: controlChannel.changed,
      },
      sharedLimits,
    ),
    ...createRoundPages(store, roundService),
    ...createJudgingServices(store, {
      papers,
      formatOf: roundService.formatOf,
      controlChanged: controlChannel.changed,
    }),
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
    rounds: roundService,
    logger,
    metrics,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    /**
     * Graceful: new connections are refused at once, every paper's queued changes are stored, and
     * live sockets are told to reconnect (4503 for /yjs; socket.io's transport is closed, which its
     * client treats as a reason to reconnect).
     */
    async close() {
      shuttingDown = true;
      clearInterval(expiry);
      httpServer.close();
      await yjs.close();
      controlChannel.close();
      await roundService.close();
      await sharedPresence?.close();
      httpServer.closeAllConnections();
      for (const client of adapterClients) client.disconnect();
      await cluster?.close();
      await closePages();
      await store.close();
    },
  };
}
