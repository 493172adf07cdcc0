import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_READING_LENGTH } from "../../shared/classroom/rules";
import { http } from "../support/http";
import { serverForSuite } from "../support/test-server";

/** Sends raw bytes and returns the status line of the answer (or "closed" when none came). */
function rawRequest(port: number, head: string, body = ""): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head + body));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
    });
    socket.on("close", () => resolve(answer.split("\r\n")[0] || "closed"));
    socket.on("error", () => undefined);
    setTimeout(() => socket.end(), 1500);
  });
}

/**
 * Issue 10, item 4, as the attacker did it: large, mistyped, chunked and truncated bodies. Each is
 * answered with a 4xx before Remix reads the body, never 500, and the server keeps serving.
 */
describe("request bodies are limited before Remix reads them", () => {
  const suite = serverForSuite({ pages: "build" });
  let port: number;
  let instructor: string;

  beforeAll(async () => {
    port = Number(new URL(suite.running.url).port);
    const signUp = await http(suite.running.url, "/signup", {
      form: { name: "Ms Okafor", email: "okafor@example.test", password: "a long enough password" },
    });
    instructor = signUp.sessionCookie!;
  });

  it("a 30 MB form to /join is refused with 413 without being read", async () => {
    const before = process.memoryUsage().rss;
    const answer = await fetch(`${suite.running.url}/join`, {
      method: "POST",
      headers: { origin: suite.running.url, "content-type": "application/x-www-form-urlencoded" },
      body: `code=${"A".repeat(30 * 1024 * 1024)}`,
    }).catch((error: unknown) => error);
    // The server may close the connection while the client is still sending: either way no 2xx or 5xx.
    if (answer instanceof Response) expect(answer.status).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect((await http(suite.running.url, "/join")).status).toBe(200);
  });

  it("answers 413 when the declared length is too large, even before the body arrives", async () => {
    const status = await rawRequest(
      port,
      `POST /join HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\n`,
      "code=",
    );
    expect(status).toMatch(/^HTTP\/1\.1 413/);
  });

  it("answers 400 for other content types, 411 for chunked bodies, and never 500", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${suite.running.url}/join`, {
        method: "POST",
        headers: { origin: suite.running.url, ...headers },
        body,
      }).then((response) => response.status);
    expect(await post({ "content-type": "application/json" }, '{"code":"X"}')).toBe(400);
    expect(await post({ "content-type": "text/plain" }, "code=X")).toBe(400);
    expect(
      await post(
        { "content-type": "multipart/form-data; boundary=zzz" },
        '--zzz\r\nContent-Disposition: form-data; name="co',
      ),
    ).toBe(400);
    expect(await post({}, "code=X")).toBe(400);
    const chunked = await rawRequest(
      port,
      `POST /join HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`,
      "5\r\ncode=\r\n",
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 411/);
    // A body that stops short of its declared length: the request never completes, and no 500 comes.
    const truncated = await rawRequest(
      port,
      `POST /join HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`,
      "code=AB",
    );
    expect(truncated).not.toMatch(/ 5\d\d /);
    expect((await http(suite.running.url, "/join")).status).toBe(200);
  });

  it("the custom debate form still takes a reading of the maximum length", async () => {
    const reading = `${"Ünïcödé wörds ".repeat(MAX_READING_LENGTH / 14 - 10)}`.slice(0, MAX_READING_LENGTH);
    const form = new URLSearchParams([
      ["title", "Long reading"],
      ["motion", "This house would read more"],
      ["sideName", "Proposition"],
      ["sideDescription", ""],
      ["sideName", "Opposition"],
      ["sideDescription", ""],
      ["readingTitle", "A long one"],
      ["reading", reading],
      ["formatId", "classroom"],
    ]);
    const created = await fetch(`${suite.running.url}/debates/new`, {
      method: "POST",
      headers: { origin: suite.running.url, cookie: instructor },
      body: form,
      redirect: "manual",
    });
    expect(created.status).toBe(302);
  });
});
