import type { Locator } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { createEssayDebate, expect, test } from "./fixtures";

/** Reads a QR code the way a phone camera would: from the pixels on screen. */
async function scan(image: Locator): Promise<string | null> {
  const png = PNG.sync.read(await image.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test("the projector shows the join code, the join link and a QR code that opens it, while students may join", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await instructor.setViewportSize({ width: 1920, height: 1080 });
  const { studentCode } = await createEssayDebate(instructor);
  const debateId = instructor.url().split("/")[4]!;
  const projector = await openPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.context().addCookies(await instructor.context().cookies());
  await projector.goto(`/debates/${debateId}/projector`);

  await expect(projector.getByLabel("Student join code")).toHaveText(studentCode);
  const joinLink = new URL(`/join?code=${studentCode}`, projector.url()).href;
  await expect(projector.getByText(joinLink)).toBeVisible();
  const qr = projector.getByRole("img", { name: "Scan to join" });
  await expect(qr).toBeInViewport();
  await expect(projector.getByRole("timer", { name: "Time remaining" })).toBeInViewport();
  expect(await scan(qr)).toBe(joinLink);
  await projector.screenshot({ path: "test-results/projector-join.png" });

  // The scanned link opens the join form with the code filled in.
  const phone = await openPage();
  await phone.goto((await scan(qr)) ?? "");
  await expect(phone.getByLabel("Join code")).toHaveValue(studentCode);

  // Drafting is quiet: the join panel stays beside the clock. During a speech the clock gets the
  // screen back and the way to join shrinks into the footer, still there for latecomers.
  await instructor.getByRole("button", { name: "Start" }).click();
  await expect(projector.getByRole("img", { name: "Scan to join" })).toBeVisible();
  const big = (await qr.boundingBox())?.height ?? 0;
  await instructor.getByRole("button", { name: "Next phase" }).click();
  await expect(projector.getByLabel("Current phase")).toHaveText("Opening statement A");
  await expect(projector.getByLabel("Student join code")).toHaveText(studentCode);
  await expect(qr).toBeInViewport();
  await expect.poll(async () => (await qr.boundingBox())?.height ?? 0).toBeLessThan(big / 1.5);
  expect(await scan(qr)).toBe(joinLink);
  await projector.screenshot({ path: "test-results/projector-speech.png" });
});
