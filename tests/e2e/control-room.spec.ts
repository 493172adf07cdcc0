import { request as playwrightRequest } from "@playwright/test";
import { createEssayDebate, expect, test } from "./fixtures";

const LAPTOP = { width: 1366, height: 768 };
const CLASS_SIZE = 30;

test("thirty students: the roster fits two laptop screens, with search, bulk moves and removals, the clock always in view", async ({
  openPage,
}) => {
  test.setTimeout(90_000);
  const instructor = await openPage();
  await instructor.setViewportSize(LAPTOP);
  const { studentCode, judgeCode } = await createEssayDebate(instructor);
  const controlUrl = instructor.url();
  const baseURL = new URL(controlUrl).origin;

  // Thirty students join over HTTP, each with their own cookie jar, as thirty browsers would.
  const names = Array.from({ length: CLASS_SIZE }, (_, index) => `Student ${String(index + 1).padStart(2, "0")}`);
  const students = await Promise.all(names.map(() => playwrightRequest.newContext({ baseURL })));
  for (const [index, student] of students.entries()) {
    const joined = await student.post("/join", {
      form: { code: studentCode, name: names[index]! },
      headers: { Origin: baseURL },
      maxRedirects: 0,
    });
    expect(joined.status()).toBe(302);
  }
  const judge = await openPage();
  await judge.goto(`/join?code=${judgeCode}`);
  await judge.getByLabel("Your name").fill("Judge Rao");
  await judge.getByRole("button", { name: "Join" }).click();
  await expect(judge.getByRole("heading", { name: "Score the arguments" })).toBeVisible();

  await instructor.reload();
  const waiting = instructor.getByRole("region", { name: "Not on a team yet" });
  await expect(waiting.getByRole("listitem")).toHaveCount(CLASS_SIZE);

  // Everyone to Realpolitik in one move, then the second half to Democracy promotion.
  await waiting.getByRole("checkbox", { name: "Select everyone shown in Not on a team yet" }).check();
  await expect(instructor.getByText(`${CLASS_SIZE} selected`)).toBeVisible();
  await instructor.getByLabel("Team for the selected students").selectOption({ label: "Realpolitik" });
  await instructor.getByRole("button", { name: "Move selected", exact: true }).click();
  const realpolitik = instructor.getByRole("region", { name: "Realpolitik", exact: true });
  const democracy = instructor.getByRole("region", { name: "Democracy promotion", exact: true });
  await expect(realpolitik.getByRole("listitem")).toHaveCount(CLASS_SIZE);
  for (const name of names.slice(CLASS_SIZE / 2)) {
    await realpolitik.getByRole("checkbox", { name: `Select ${name}` }).check();
  }
  await instructor.getByLabel("Team for the selected students").selectOption({ label: "Democracy promotion" });
  await instructor.getByRole("button", { name: "Move selected", exact: true }).click();
  await expect(democracy.getByRole("listitem")).toHaveCount(CLASS_SIZE / 2);
  await expect(realpolitik.getByRole("listitem")).toHaveCount(CLASS_SIZE / 2);

  // The roster of thirty fits in two laptop screens, and the clock stays on screen beside it.
  const roster = instructor.locator("section.roster");
  await roster.evaluate((element) => element.scrollIntoView());
  await instructor.screenshot({ path: "test-results/control-room-30.png" });
  const height = (await roster.boundingBox())?.height ?? Number.POSITIVE_INFINITY;
  expect(height).toBeLessThanOrEqual(2 * LAPTOP.height);
  const clock = instructor.getByRole("timer", { name: "Time remaining" });
  await democracy.getByRole("listitem").last().scrollIntoViewIfNeeded();
  await expect(clock).toBeInViewport();
  await instructor.getByRole("heading", { name: "Archive or delete" }).scrollIntoViewIfNeeded();
  await expect(clock).toBeInViewport();
  await expect(instructor.getByRole("button", { name: "Start" })).toBeInViewport();

  // Judges: online from the judge room, and where their ballot stands.
  const judges = instructor.getByRole("region", { name: "Judges" });
  await expect(judges.getByRole("listitem").filter({ hasText: "Judge Rao" })).toContainText("online");
  await expect(judges.getByRole("listitem").filter({ hasText: "Judge Rao" })).toContainText("no ballot yet");

  // Search narrows the roster; removing the selected asks first.
  const search = instructor.getByRole("searchbox", { name: "Search students" });
  await search.fill("Student 07");
  await expect(instructor.locator(".roster-row").filter({ hasText: /^Student/ })).toHaveCount(1);
  await instructor.getByRole("checkbox", { name: "Select Student 07" }).check();
  await search.fill("Student 2");
  await instructor.getByRole("checkbox", { name: "Select everyone shown in Democracy promotion" }).check();
  await expect(instructor.getByText("11 selected")).toBeVisible();
  instructor.once("dialog", (dialog) => dialog.accept());
  await instructor.getByRole("button", { name: "Remove selected" }).click();
  await search.fill("");
  await expect(realpolitik.getByRole("listitem")).toHaveCount(CLASS_SIZE / 2 - 1);
  await expect(democracy.getByRole("listitem")).toHaveCount(CLASS_SIZE / 2 - 10);

  // A phase card asks before it moves the round.
  await instructor.getByRole("button", { name: "Go to Closing A" }).click();
  await expect(instructor.getByLabel("Current phase")).toHaveText("Drafting");
  await instructor.getByRole("button", { name: "Cancel" }).click();
  await expect(instructor.getByRole("button", { name: "Jump to Closing A" })).toHaveCount(0);
  await expect(instructor.getByLabel("Current phase")).toHaveText("Drafting");

  for (const student of students) await student.dispose();
});
