import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import type { DebateRecord } from "../../server/store/types";
import { http } from "../support/http";
import { serverForSuite, sessionCookie } from "../support/test-server";

/** Sends an upgrade request and resolves with the status line of the answer, or "no answer" after 2 s. */
function upgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
      ),
    );
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("no answer");
    }, 2000);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) socket.destroy();
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(answer.split("\r\n")[0] || "closed");
    });
    socket.on("error", () => undefined);
  });
}

/** Issue 10, item 8: headers, caching of pages with codes, stray upgrades, the Origin's scheme. */
describe("the edges of the server", () => {
  const suite = serverForSuite({ pages: "build" });
  let debate: DebateRecord;
  let owner: string;

  beforeAll(async () => {
    [debate] = (await suite.running.server.store.listDebates()) as [DebateRecord];
    owner = (await sessionCookie(suite.running.server, { role: "instructor", debateId: debate.id })).cookie;
  });

  it("pages carry a CSP that forbids framing, nosniff, no referrer, and are never cached", async () => {
    const response = await fetch(`${suite.running.url}/debates/${debate.id}/control`, { headers: { cookie: owner } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(debate.studentCode);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    const join = await fetch(`${suite.running.url}/join?code=${debate.studentCode}`);
    expect(join.headers.get("cache-control")).toBe("no-store");
  });

  it("answers upgrades to any other path with 404 and closes them; /yjs and socket.io still upgrade", async () => {
    const port = Number(new URL(suite.running.url).port);
    expect(await upgrade(port, "/somewhere")).toMatch(/^HTTP\/1\.1 404/);
    expect(await upgrade(port, "/yjs")).toMatch(/^HTTP\/1\.1 404/);
    expect(await upgrade(port, "/socket.io/?EIO=4&transport=websocket")).toMatch(/^HTTP\/1\.1 101/);
  });

  it("refuses a POST whose Origin has the right host but another scheme", async () => {
    const host = new URL(suite.running.url).host;
    const answer = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: owner,
      form: { intent: "reveal", revealPolicy: "after-lock" },
      origin: `https://${host}`,
    });
    expect(answer.status).toBe(403);
    const same = await http(suite.running.url, `/debates/${debate.id}/control`, {
      cookie: owner,
      form: { intent: "reveal", revealPolicy: "after-lock" },
    });
    expect(same.status).toBe(200);
  });
});
