import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

test("a judge lands on the ballot, sees each part labelled, gets errors at the field in words, and is warned before submitting unscored criteria", async ({
  openPage,
}) => {
  const instructor = await openPage();
  const { studentCode, judgeCode } = await createEssayDebate(instructor);
  const amira = await openPage();
  await joinAsStudent(amira, studentCode, "Amira", "Realpolitik");

  const judge = await openPage();
  await judge.goto(`/join?code=${judgeCode}`);
  await judge.getByLabel("Your name").fill("Judge Rao");
  await judge.getByRole("button", { name: "Join" }).click();
  await expect(judge.getByRole("heading", { name: "Score the arguments" })).toBeVisible();

  const first = judge
    .getByRole("region", { name: /^Realpolitik \(side/ })
    .getByRole("article")
    .first();
  await expect(first.getByText("Reasoning", { exact: true })).toBeVisible();
  await expect(first.getByText("Evidence", { exact: true })).toBeVisible();

  // One speaker point out of range: named at its field, in words; the rest of the draft still saves.
  await first.getByRole("textbox").fill("Sharp claim.");
  const points = judge.getByRole("spinbutton", { name: "Amira" });
  await points.fill("85");
  const pointsError = judge.getByText("Speaker points for Amira must be a whole number from 60 to 80.");
  await expect(pointsError).toBeVisible();
  await expect(judge.getByRole("status").filter({ hasText: /Draft/ })).toHaveText(
    "Draft saved, except the fields marked below",
  );
  await judge.reload();
  await expect(first.getByRole("textbox")).toHaveValue("Sharp claim.");
  await expect(points).toHaveValue("");

  // A submit without a winner is stopped with the reason; choosing a winner clears that message.
  await judge.getByRole("button", { name: "Submit ballot" }).click();
  const noWinner = judge.getByText("Choose the winning team (or abstain) before you submit.");
  await expect(noWinner).toBeVisible();
  await judge.getByRole("radio", { name: "Realpolitik" }).check();
  await expect(noWinner).toHaveCount(0);
  await judge.getByLabel("Reason for decision").fill("Clearer claims.");

  // Submitting with criteria unscored asks first; dismissed, nothing is submitted.
  let asked = "";
  judge.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await judge.getByRole("button", { name: "Submit ballot" }).click();
  await expect.poll(() => asked).toMatch(/^30 of 30 criteria are not scored/);
  await expect(judge.getByRole("button", { name: "Submit ballot" })).toBeEnabled();

  judge.once("dialog", (dialog) => void dialog.accept());
  await judge.getByRole("button", { name: "Submit ballot" }).click();
  await expect(judge.getByRole("status").filter({ hasText: /Ballot submitted/ })).toBeVisible();
});
