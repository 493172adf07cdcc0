import { expect, signUpInstructor, test } from "./fixtures";

test("new debates balance teams; a duplicate is flagged, removed, kept out, then let back in", async ({
  openPage,
  browser,
}) => {
  const instructor = await openPage();
  await signUpInstructor(instructor, "Ms Okafor");
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  await expect(instructor.getByLabel("Team assignment")).toHaveValue("balance");
  const studentCode = (await instructor.getByLabel("Student join code").textContent())?.trim() ?? "";

  const join = async (name: string, page = undefined as Awaited<ReturnType<typeof openPage>> | undefined) => {
    page ??= await openPage();
    await page.goto(`/join?code=${studentCode}`);
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    return page;
  };
  const amira = await join("Amira");
  await expect(amira.getByRole("textbox", { name: "Realpolitik position paper" })).toBeVisible();
  // Nobody picks a side: there is no team choice to make.
  await expect(amira.getByRole("button", { name: /^Join / })).toHaveCount(0);

  // "Amira" again from a fresh browser lands where the balance puts her, and is flagged. Her browser
  // is refused (403) below, which Chromium logs as a failed resource: it stays outside the
  // console check on purpose; every other page is held to it.
  const impostorContext = await browser.newContext();
  const impostor = await join("Amira", await impostorContext.newPage());
  await expect(impostor.getByText("Signed in as Amira")).toBeVisible();
  await instructor.reload();
  const checks = instructor.getByRole("region", { name: "Check the roster" });
  await expect(checks.getByRole("list", { name: "People to check" })).toContainText(
    "“Amira” and “Amira” have the same name",
  );

  const democracy = instructor.getByRole("region", { name: "Democracy promotion" });
  instructor.once("dialog", (dialog) => dialog.accept());
  await democracy.getByRole("button", { name: "Remove Amira" }).click();
  await expect(checks.getByRole("list", { name: "Removed people" })).toContainText("Amira");

  // The removed browser cannot come straight back.
  await impostor.goto(`/join?code=${studentCode}`);
  await impostor.getByLabel("Your name").fill("Amira B");
  await impostor.getByRole("button", { name: "Join" }).click();
  await expect(impostor.getByRole("alert")).toContainText("Your instructor removed you from this debate");

  await checks.getByRole("button", { name: "Let Amira back in" }).click();
  await expect(instructor.getByRole("region", { name: "Check the roster" })).toHaveCount(0);
  await impostor.getByRole("button", { name: "Join" }).click();
  await expect(impostor.getByText("Signed in as Amira B")).toBeVisible();
  await impostorContext.close();
});
