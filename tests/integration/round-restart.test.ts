import { io, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../server/store/sqlite";
import { remainingMs } from "../../shared/rounds/round";
import {
  type ClientToServerEvents,
  RoundEvent,
  type RoundSnapshot,
  type ServerToClientEvents,
} from "../../shared/wire/events";
import { roundHandshake } from "../../shared/wire/round-events";
import { http } from "../support/http";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";
import { eventually } from "../support/test-server";

const OUTAGE_MS = 5_000;
/** Both processes read the same machine clock, so only scheduling noise separates them. */
const TOLERANCE_MS = 50;

/** The first instructor to sign up runs the debate seeded on first start (decision 030). */
async function signUpFirstInstructor(server: SpawnedServer): Promise<{ cookie: string; debateId: string }> {
  const signUp = await http(server.url, "/signup", {
    form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
  });
  const cookie = signUp.sessionCookie;
  if (!cookie) throw new Error(`Sign-up gave no session (status ${signUp.status})`);
  const store = openSqliteStore(server.databasePath);
  const [debate] = await store.listDebates();
  await store.close();
  if (!debate) throw new Error("No seeded debate");
  return { cookie, debateId: debate.id };
}

/** A client that behaves like the pages' useRound: reconnects by itself and subscribes on every connect. */
function reconnectingClient(url: string, cookie: string, debateId: string) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ["websocket"],
    auth: roundHandshake(),
    extraHeaders: { cookie },
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  const client = { socket, snapshot: null as RoundSnapshot | null, connects: 0 };
  socket.on("connect", async () => {
    client.connects++;
    const result = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
    if (result.ok) client.snapshot = result.snapshot;
  });
  socket.on(RoundEvent.state, (snapshot) => {
    client.snapshot = snapshot;
  });
  return client;
}

describe("a round across a server restart", () => {
  let server: SpawnedServer | undefined;

  afterAll(async () => {
    await server?.stop("SIGKILL");
    if (server) removeDatabase(server.databasePath);
  });

  it("keeps running through 5 s of downtime, and clients pick it up again without reloading", async () => {
    server = await spawnServer();
    const { databasePath } = server;
    const port = new URL(server.url).port;
    const { cookie, debateId } = await signUpFirstInstructor(server);

    const instructor = reconnectingClient(server.url, cookie, debateId);
    const projector = reconnectingClient(server.url, cookie, debateId);
    await eventually(() => instructor.snapshot !== null && projector.snapshot !== null, 5000, "both subscribed");
    const started = await instructor.socket.emitWithAck(RoundEvent.command, {
      debateId: debateId,
      command: { type: "start" },
    });
    if (!started.ok) throw new Error(started.reason);
    const { round, format } = started.snapshot;
    expect(round.state).toBe("running");

    await server.stop("SIGKILL");
    await eventually(() => !instructor.socket.connected && !projector.socket.connected, 5000, "clients to notice");
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    server = await spawnServer({ databasePath, env: { PORT: port } });

    await eventually(() => instructor.connects === 2 && projector.connects === 2, 10_000, "clients to reconnect");
    await eventually(() => projector.snapshot?.serverNow !== started.snapshot.serverNow, 5000, "a fresh snapshot");
    const resumed = projector.snapshot!;
    expect(resumed.round).toEqual(round);
    const now = Date.now();
    const shown = remainingMs(resumed.round, resumed.format, now);
    const expected = format.phases[0]!.durationMs - (now - (round.state === "running" ? round.runningSince : now));
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(TOLERANCE_MS);
    // The phase kept running while the server was down: at least the outage has gone off the clock.
    expect(format.phases[0]!.durationMs - shown).toBeGreaterThanOrEqual(OUTAGE_MS);

    const paused = await instructor.socket.emitWithAck(RoundEvent.command, {
      debateId: debateId,
      command: { type: "pause" },
    });
    expect(paused.ok).toBe(true);
    await eventually(() => projector.snapshot?.round.state === "paused", 5000, "the projector to see the pause");
    instructor.socket.close();
    projector.socket.close();
  }, 60_000);
});
