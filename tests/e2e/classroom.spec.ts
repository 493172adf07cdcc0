import { expect, signUpInstructor, test } from "./fixtures";

test("an instructor signs up and runs the essay debate; students are auto-balanced; a judge joins; each sees only their part", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await signUpInstructor(instructor, "Ms Okafor");
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  const studentCode = (await instructor.getByLabel("Student join code").textContent())?.trim() ?? "";
  const judgeCode = (await instructor.getByLabel("Judge join code").textContent())?.trim() ?? "";
  expect(studentCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  await instructor.getByLabel("Team assignment").selectOption("balance");
  await instructor.getByRole("button", { name: "Save team assignment" }).click();
  await expect(instructor.getByLabel("Team assignment")).toHaveValue("balance");

  const amira = await openPage();
  const ben = await openPage();
  for (const [page, name] of [
    [amira, "Amira"],
    [ben, "Ben"],
  ] as const) {
    await page.goto("/");
    await page.getByRole("link", { name: "Join a debate" }).click();
    await page.getByLabel("Join code").fill(studentCode);
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
  }
  // Auto-balance: one student per side, each sees only their own team's paper.
  await expect(amira.getByRole("textbox", { name: "Realpolitik position paper" })).toBeVisible();
  await expect(ben.getByRole("textbox", { name: "Democracy promotion position paper" })).toBeVisible();
  await expect(amira.getByRole("link", { name: "Democracy promotion" })).toHaveCount(0);
  await expect(ben.getByRole("link", { name: "Realpolitik" })).toHaveCount(0);
  await expect(amira.getByRole("textbox", { name: "Democracy promotion position paper" })).toHaveCount(0);

  const judge = await openPage();
  await judge.goto(`/join?code=${judgeCode}`);
  await judge.getByLabel("Your name").fill("Judge Rao");
  await judge.getByRole("button", { name: "Join" }).click();
  // A judge lands on their ballot, one link away from the live papers.
  await expect(judge.getByRole("heading", { name: "Score the arguments" })).toBeVisible();
  await judge.getByRole("link", { name: "Debate room" }).click();
  await expect(judge.getByText("Signed in as Judge Rao")).toBeVisible();
  // Judges read both papers and edit neither.
  await expect(judge.getByRole("navigation", { name: "Papers" }).getByRole("link")).toHaveCount(2);
  await expect(judge.getByRole("textbox", { name: "Realpolitik position paper" })).toHaveAttribute(
    "contenteditable",
    "false",
  );

  // Nobody but the instructor reaches the control room.
  for (const page of [amira, ben, judge]) {
    const response = await page.request.get(instructor.url());
    expect(response.status()).toBe(403);
  }

  // The control room lists both students on their teams, online.
  await instructor.reload();
  const realpolitik = instructor.getByRole("region", { name: "Realpolitik" });
  const democracy = instructor.getByRole("region", { name: "Democracy promotion" });
  await expect(realpolitik.getByRole("button", { name: "Remove Amira" })).toBeVisible();
  await expect(democracy.getByRole("button", { name: "Remove Ben" })).toBeVisible();
  await expect(realpolitik.getByText("online", { exact: true })).toBeVisible();
  await expect(instructor.getByRole("button", { name: "Remove Judge Rao" })).toBeVisible();
});
