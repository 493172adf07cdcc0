import { createEssayDebate, expect, test } from "./fixtures";

test("Oxford style followed phase by phase: the before vote closes when the debate starts, the after vote opens in its phase, both count", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await createEssayDebate(instructor);
  const controlUrl = instructor.url();
  const debateId = controlUrl.split("/")[4]!;
  await instructor.goto(`/debates/${debateId}/formats`);
  await instructor.getByRole("button", { name: "Use Oxford-style" }).click();
  await instructor.goto(controlUrl);
  const audienceLink = (await instructor.getByRole("link", { name: /\/watch\// }).textContent()) ?? "";

  const voter = await openPage();
  await voter.goto(`${audienceLink}?to=vote`);
  await expect(voter.getByRole("heading", { name: "Vote before the round" })).toBeVisible();
  await voter.getByRole("button", { name: "Vote Realpolitik" }).click();
  await expect(voter.getByRole("status")).toContainText("Your vote: Realpolitik");

  await instructor.getByRole("button", { name: "Start" }).click();
  await instructor.getByRole("button", { name: "Next phase" }).click();
  await expect(instructor.getByLabel("Current phase")).toHaveText("Audience vote (before)");
  await expect(voter.getByRole("heading", { name: "Vote before the round" })).toBeVisible();
  await instructor.getByRole("button", { name: "Next phase" }).click();
  await expect(instructor.getByLabel("Current phase")).toHaveText("Opening statement, for");

  // The debate is under way: the before vote can no longer change, and the after vote is not open yet.
  await expect(voter.getByRole("heading", { name: "The vote is closed for now" })).toBeVisible();
  await expect(voter.getByRole("button", { name: "Vote Democracy promotion" })).toBeHidden();
  const refused = await voter.request.post(`/debates/${debateId}/vote`, {
    form: { teamId: "x" },
    headers: { Origin: new URL(voter.url()).origin },
  });
  expect(refused.status()).toBe(409);

  for (const phase of [
    "Opening statement, against",
    "Floor questions",
    "Closing statement, for",
    "Closing statement, against",
    "Audience vote (after)",
  ]) {
    await instructor.getByRole("button", { name: "Next phase" }).click();
    await expect(instructor.getByLabel("Current phase")).toHaveText(phase);
  }
  await expect(voter.getByRole("heading", { name: "Vote after the round" })).toBeVisible();
  await voter.getByRole("button", { name: "Vote Democracy promotion" }).click();
  await expect(voter.getByRole("status")).toContainText("Your vote: Democracy promotion");

  await instructor.goto(`/debates/${debateId}/results`);
  const swing = instructor.getByRole("region", { name: /Audience vote/ });
  await expect(swing).toContainText("100%");
  await expect(swing).toContainText("−100 points");
  await expect(swing).toContainText("+100 points");
});
