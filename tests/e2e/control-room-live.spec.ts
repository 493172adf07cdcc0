import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

test("the control room shows a student joining and going online without a reload, and says when it is not live", async ({
  openPage,
}) => {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  // Marks this document: a reload or a navigation would lose the mark.
  await instructor.evaluate(() => {
    (window as unknown as { sameDocument?: boolean }).sameDocument = true;
  });
  const realpolitik = instructor.getByRole("region", { name: "Realpolitik", exact: true });
  await expect(realpolitik.getByText("Nobody yet.")).toBeVisible();

  const amira = await openPage();
  await joinAsStudent(amira, studentCode, "Amira", "Realpolitik");
  const row = realpolitik.getByRole("listitem").filter({ hasText: "Amira" });
  await expect(row).toBeVisible();
  await expect(row.getByText("online", { exact: true })).toBeVisible();

  // Offline, the page says its roster may be stale; back online, it is live and current again.
  await instructor.context().setOffline(true);
  await expect(instructor.getByRole("status").filter({ hasText: "Live updates paused" })).toBeVisible();
  await amira.close();
  await instructor.context().setOffline(false);
  await expect(instructor.getByRole("status").filter({ hasText: "Live updates paused" })).toHaveCount(0);
  await expect(row.getByText("offline", { exact: true })).toBeVisible();

  expect(await instructor.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
});
