import { expect, test } from "@playwright/test";
import { openSqliteStore } from "../../server/store/sqlite";
import { removeDatabase, type SpawnedServer, spawnServer } from "../support/spawn-server";

const OUTAGE_MS = 5_000;

/**
 * Its own server (the suite's shared one must not go down): a running round survives the process
 * being killed for 5 s, and an open projector page picks it up again by itself, without a reload.
 */
test("an open projector keeps the round through a 5 s server outage, without a reload", async ({ browser }) => {
  test.setTimeout(60_000);
  let server: SpawnedServer = await spawnServer();
  const { databasePath } = server;
  const port = new URL(server.url).port;

  const context = await browser.newContext();
  const unexpected: string[] = [];
  const page = await context.newPage();
  // While the server is down the browser reports each failed reconnect attempt; nothing else may appear.
  page.on("console", (message) => {
    if (message.type() === "error" && !/WebSocket connection to .* failed/.test(message.text())) {
      unexpected.push(message.text());
    }
  });
  page.on("pageerror", (error) => unexpected.push(error.message));
  try {
    // The first instructor to sign up runs the debate seeded on first start (decision 030).
    await page.goto(`${server.url}/signup`);
    await page.getByLabel("Name").fill("Ms Okafor");
    await page.getByLabel("Email").fill("okafor@example.test");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page.getByRole("heading", { name: "Your debates" })).toBeVisible();
    const store = openSqliteStore(databasePath);
    const [seeded] = await store.listDebates();
    await store.close();
    await page.goto(`${server.url}/debates/${seeded!.id}/control`);
    await page.getByRole("button", { name: "Start" }).click();
    await expect(page.getByText("Running")).toBeVisible();
    const startedAt = Date.now();
    await page.goto(page.url().replace(/\/control$/, "/projector"));
    const clock = page.getByRole("timer", { name: "Time remaining" });
    await expect(clock).toHaveText(/^19:5\d$/);
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    await server.stop("SIGKILL");
    await page.waitForTimeout(OUTAGE_MS);
    server = await spawnServer({ databasePath, env: { PORT: port } });

    // 20:00 minus the time since Start, which includes the outage: the phase ran on meanwhile.
    await expect(async () => {
      const shown = (await clock.textContent()) ?? "";
      const [minutes, seconds] = shown.split(":").map(Number);
      const expectedSeconds = Math.ceil((20 * 60_000 - (Date.now() - startedAt)) / 1000);
      expect(Math.abs(minutes! * 60 + seconds! - expectedSeconds)).toBeLessThanOrEqual(2);
      expect(minutes! * 60 + seconds!).toBeLessThanOrEqual(20 * 60 - OUTAGE_MS / 1000);
    }).toPass({ timeout: 15_000 });
    // The projector is subscribed again: a command sent after the restart reaches it.
    const control = await context.newPage();
    await control.goto(`${server.url}/debates/${seeded!.id}/control`);
    await control.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByText("Paused")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(unexpected).toEqual([]);
  } finally {
    await context.close();
    await server.stop("SIGKILL");
    removeDatabase(databasePath);
  }
});
