import { expect, signUpInstructor, test } from "./fixtures";

const ESSAY = "After Georgia: realpolitik or democracy promotion?";

test("debates carry distinct names: essay copies are numbered, any debate can be renamed, the list shows names", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await signUpInstructor(instructor, "Ms Adeyemi");
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  await expect(instructor.getByRole("heading", { level: 1 })).toHaveText(ESSAY);
  await instructor.getByRole("link", { name: "Your debates" }).click();
  await expect(instructor.getByText("You already have one debate from this essay")).toBeVisible();
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  await expect(instructor.getByRole("heading", { level: 1 })).toHaveText(`${ESSAY} (2)`);

  await instructor.getByLabel("Debate title").fill("Period 3 — Georgia");
  await instructor.getByRole("button", { name: "Rename the debate" }).click();
  await expect(instructor.getByRole("heading", { level: 1 })).toHaveText("Period 3 — Georgia");

  await instructor.getByRole("link", { name: "Your debates" }).click();
  const open = instructor.getByRole("region", { name: "Open debates" });
  await expect(open.getByRole("link", { name: "Period 3 — Georgia" })).toBeVisible();
  await expect(open.getByRole("link", { name: ESSAY, exact: true })).toBeVisible();
  await expect(open.getByRole("listitem")).toHaveCount(2);
  await expect(open.getByRole("listitem").first()).toContainText("0 students");

  // The next copy is numbered after the copies still named so: the renamed one no longer counts.
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  await expect(instructor.getByRole("heading", { level: 1 })).toHaveText(`${ESSAY} (2)`);
});
