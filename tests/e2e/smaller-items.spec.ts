import { expect, signUpInstructor, test } from "./fixtures";

test("smaller items: remove a side, the rubric's running total and field errors, Save and use it during a round, prep colour, what to do after the round", async ({
  openPage,
}) => {
  test.setTimeout(60_000);
  const instructor = await openPage();

  // "Add a side" can be undone, from any side past the first two.
  await signUpInstructor(instructor);
  await instructor.getByRole("link", { name: "Create a custom debate" }).click();
  await instructor.getByRole("button", { name: "Add a side" }).click();
  await instructor.getByRole("button", { name: "Add a side" }).click();
  await instructor.getByLabel("Side D name").fill("Fourth");
  await instructor.getByRole("button", { name: "Remove side C" }).click();
  await expect(instructor.getByLabel("Side C name")).toHaveValue("Fourth");
  await expect(instructor.getByLabel("Side D name")).toHaveCount(0);
  await instructor.getByRole("button", { name: "Remove side C" }).click();
  await expect(instructor.getByRole("button", { name: /^Remove side/ })).toHaveCount(0);

  await instructor.goto("/debates");
  await instructor.getByRole("button", { name: "Start from the essay" }).click();
  await expect(instructor.getByLabel("Student join code")).toBeVisible();
  const controlUrl = instructor.url();
  const debateId = controlUrl.split("/")[4]!;

  // The rubric editor keeps a running total and puts each error at its field.
  await instructor.goto(`/debates/${debateId}/rubric`);
  await expect(instructor.getByText("Weights add up to 100 of 100")).toBeVisible();
  await instructor.getByLabel("Weight of criterion 1 (%)").fill("10");
  await expect(instructor.getByText(/^Weights add up to 90 of 100/)).toBeVisible();
  await instructor.getByLabel("Criterion 2, level 3").fill("");
  await instructor.getByRole("button", { name: "Save rubric" }).click();
  await expect(instructor.getByText("Describe level 3 of criterion 2.")).toBeVisible();
  await expect(instructor.getByLabel("Criterion 2, level 3")).toBeFocused();
  await expect(instructor.getByText("Weights add up to 90 of 100: make them add up to 100 to save")).toBeVisible();

  // "Save and use it" during a round saves once, says why it is not in use, and a second save updates the copy.
  await instructor.goto(controlUrl);
  await instructor.getByRole("button", { name: "Start" }).click();
  await instructor.getByRole("link", { name: "Formats" }).click();
  await instructor.getByRole("link", { name: "Copy and edit Public Forum" }).click();
  await instructor.getByLabel("Format name").fill("Our forum");
  await instructor.getByRole("button", { name: "Save and use it" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Saved “Our forum”" })).toBeVisible();
  await instructor.getByRole("button", { name: "Save and use it" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Saved “Our forum”" })).toBeVisible();
  await expect(instructor.getByRole("region", { name: "Your formats" }).getByRole("listitem")).toHaveCount(1);

  // Prep time runs in its own team's colour.
  await instructor.goto(controlUrl);
  await instructor.getByRole("button", { name: "Reset phase" }).click();
  await instructor.getByRole("link", { name: "Formats" }).click();
  await instructor.getByRole("button", { name: "Use Public Forum" }).click();
  const prep = instructor.getByRole("button", { name: "Democracy promotion prep" });
  await prep.click();
  await expect(prep).toHaveAttribute("aria-pressed", "true");
  const teamColour = await instructor
    .getByRole("region", { name: "Democracy promotion", exact: true })
    .evaluate((element) => getComputedStyle(element).borderLeftColor);
  expect(await prep.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(teamColour);

  // After the round, the control room points to what comes next.
  await prep.click();
  const last = instructor.locator(".timeline li").last().getByRole("button");
  await last.click();
  await instructor.getByRole("button", { name: /^Jump to / }).click();
  await instructor.getByRole("button", { name: "Next phase" }).click();
  await expect(instructor.getByLabel("Current phase")).toHaveText("Round finished");
  await instructor.getByRole("status").getByRole("link", { name: "results" }).click();
  await expect(instructor.getByRole("heading", { name: "Results" })).toBeVisible();
});
