import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

test("the instructor starts and pauses the round and a student sees it live", async ({ openPage }) => {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  const student = await openPage();
  await joinAsStudent(student, studentCode, "Chloé", "Democracy promotion");

  const studentTimer = student.getByRole("timer", { name: "Time remaining" });
  await expect(student.getByLabel("Current phase")).toHaveText("Drafting");
  await expect(studentTimer).toHaveText("20:00");

  await instructor.getByRole("button", { name: "Start" }).click();
  await expect(studentTimer).toHaveText(/^19:5\d$/);
  await expect(student.getByText("Running")).toBeVisible();

  await instructor.getByRole("button", { name: "Pause" }).click();
  await expect(student.getByText("Paused")).toBeVisible();
  const pausedAt = await studentTimer.textContent();
  await student.waitForTimeout(1500);
  await expect(studentTimer).toHaveText(pausedAt ?? "");
  await expect(instructor.getByRole("timer", { name: "Time remaining" })).toHaveText(pausedAt ?? "");
});
