import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

test("no serious or critical axe violation on the landing, join, debate room and control room", async ({
  openPage,
}) => {
  const page = await openPage();
  await page.goto("/");
  expect(await seriousViolations(page), "landing").toEqual([]);
  await page.goto("/join");
  expect(await seriousViolations(page), "join").toEqual([]);

  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  await joinAsStudent(page, studentCode, "Amira", "Realpolitik");
  await expect(page.getByRole("textbox", { name: "Realpolitik position paper" })).toContainText("Thesis");
  expect(await seriousViolations(page), "debate room").toEqual([]);

  await instructor.reload();
  await expect(instructor.getByRole("button", { name: "Remove Amira" })).toBeVisible();
  expect(await seriousViolations(instructor), "control room").toEqual([]);
});
