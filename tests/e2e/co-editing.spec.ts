import { debateWithTwoStudents, expect, test } from "./fixtures";

test("two students on one team see each other's typing and named caret", async ({ openPage }) => {
  const { amira, ben } = await debateWithTwoStudents(openPage);

  const amiraPaper = amira.getByRole("textbox", { name: "Realpolitik position paper" });
  const benPaper = ben.getByRole("textbox", { name: "Realpolitik position paper" });
  await expect(amiraPaper).toContainText("Thesis");
  await expect(benPaper).toContainText("Thesis");

  await amiraPaper.getByRole("heading", { name: "Thesis" }).click();
  await amira.keyboard.press("End");
  await amira.keyboard.type(" — Credible guarantees matter more than speeches.");

  await expect(benPaper).toContainText("Credible guarantees matter more than speeches.");
  await expect(ben.locator(".collaboration-carets__label", { hasText: "Amira" })).toBeVisible();
  const present = ben.getByRole("region", { name: "Who is here" });
  await expect(present).toContainText("Ben (you)");
  await expect(present).toContainText("Amira · in Thesis");
});
