import { debateWithTwoStudents, expect, test } from "./fixtures";

test("an offline student sees it: the save state stays in view in plain words, and the round bar stops instead of pretending", async ({
  openPage,
}) => {
  const { instructor, amira } = await debateWithTwoStudents(openPage);
  await instructor.getByRole("button", { name: "Start" }).click();
  const bar = amira.getByRole("timer", { name: "Time remaining" });
  await expect(amira.getByText("Running")).toBeVisible();

  const paper = amira.getByRole("textbox", { name: "Realpolitik position paper" });
  const saveState = amira.getByRole("status").filter({ hasText: /Saved|Saving|Offline|Connecting/ });
  await paper.locator(".thesis-content p").first().click();
  await amira.keyboard.type("Interests first.");
  await expect(saveState).toHaveText("Saved");

  await amira.context().setOffline(true);
  await expect(amira.getByText("Reconnecting…")).toBeVisible();
  await amira.keyboard.type(" Even after Georgia.");
  await expect(saveState).toHaveText(
    "Offline — your last changes are kept on this device and will be saved when you reconnect",
  );
  // Scrolled to the end of the paper, the student still sees where their work stands.
  await paper.locator("section.argument").last().scrollIntoViewIfNeeded();
  await expect(saveState).toBeInViewport();

  // The instructor pauses; the offline bar does not go on counting as if it were running.
  await instructor.getByRole("button", { name: "Pause" }).click();
  const frozen = await bar.textContent();
  await amira.waitForTimeout(2_200);
  await expect(bar).toHaveText(frozen ?? "");
  await expect(amira.getByText("Running")).toHaveCount(0);

  await amira.context().setOffline(false);
  await expect(amira.getByText("Paused")).toBeVisible();
  await expect(bar).toHaveText((await instructor.getByRole("timer", { name: "Time remaining" }).textContent()) ?? "");
  await expect(saveState).toHaveText("Saved");
});
