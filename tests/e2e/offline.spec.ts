import { debateWithTwoStudents, expect, test } from "./fixtures";

test("edits made offline are kept, shown as unsaved, and merge when the student is back", async ({ openPage }) => {
  const { amira, ben } = await debateWithTwoStudents(openPage);

  const saveState = amira.getByRole("status").filter({ hasText: /Saved|Saving|Offline|Connecting/ });
  await expect(saveState).toHaveText("Saved");
  const amiraPaper = amira.getByRole("textbox", { name: "Realpolitik position paper" });
  await amiraPaper.getByRole("heading", { name: "Thesis" }).click();
  await amira.keyboard.press("End");

  await amira.context().setOffline(true);
  await expect(saveState).toHaveText("Offline — all changes saved");
  await amira.keyboard.type(" written on the bus");
  await expect(saveState).toHaveText(
    "Offline — your last changes are kept on this device and will be saved when you reconnect",
  );

  const leaving = amira.waitForEvent("dialog");
  await amira.close({ runBeforeUnload: true });
  const warning = await leaving;
  expect(warning.type()).toBe("beforeunload");
  await warning.dismiss();

  await amira.context().setOffline(false);
  await expect(saveState).toHaveText("Saved");
  await expect(ben.getByRole("textbox", { name: "Realpolitik position paper" })).toContainText("written on the bus");
});
