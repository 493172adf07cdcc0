import { debateWithTwoStudents, expect, test } from "./fixtures";

test("removed, archived, deleted: each student is told what happened and what to do", async ({ openPage }) => {
  const { instructor, amira, ben } = await debateWithTwoStudents(openPage, {
    amira: "Realpolitik",
    ben: "Democracy promotion",
  });
  const roomUrl = amira.url();
  const ended = (page: typeof amira) => page.getByRole("heading", { name: "You are no longer in that debate" });

  // Removed: the room gives way to a page that says why, and how to come back.
  await instructor.reload();
  instructor.once("dialog", (dialog) => void dialog.accept());
  await instructor.getByRole("button", { name: "Remove Amira" }).click();
  await expect(ended(amira)).toBeVisible();
  await expect(amira.getByText("ask your instructor for the join code")).toBeVisible();
  await expect(amira.getByRole("button", { name: "Join" })).toBeVisible();
  await amira.goto(roomUrl);
  await expect(ended(amira)).toBeVisible();

  // Archived: the open paper turns read-only with the reason, and the room says the debate is archived.
  await instructor.getByRole("button", { name: "Archive the debate" }).click();
  await expect(ben.getByText("Read-only: This debate is archived: its papers are read-only")).toBeVisible();
  await ben.reload();
  await expect(ben.getByRole("note").filter({ hasText: "This debate is archived" }).first()).toBeVisible();

  // Deleted: the same clear page, not an error under a clock.
  await instructor.getByLabel(/Type delete/).fill("delete");
  await instructor.getByRole("button", { name: "Delete the debate" }).click();
  await expect(instructor.getByRole("heading", { name: "Your debates" })).toBeVisible();
  await expect(ended(ben)).toBeVisible();
  await ben.reload();
  await expect(ended(ben)).toBeVisible();
});
