import { createEssayDebate, debateWithTwoStudents, expect, joinAsStudent, test } from "./fixtures";

test("drafting ends: both teams' editors turn read-only with the reason, and the snapshot opens", async ({
  openPage,
}) => {
  const { instructor, amira, ben } = await debateWithTwoStudents(openPage, {
    amira: "Realpolitik",
    ben: "Democracy promotion",
  });

  for (const student of [amira, ben]) {
    await expect(student.getByLabel("Current phase")).toHaveText("Drafting");
  }
  await instructor.getByRole("button", { name: "Start" }).click();
  for (const student of [amira, ben]) {
    await expect(student.getByText("Running")).toBeVisible();
    await expect(student.getByRole("timer", { name: "Time remaining" })).toHaveText(/^19:5\d$/);
  }

  const amiraPaper = amira.getByRole("textbox", { name: "Realpolitik position paper" });
  await amiraPaper.getByRole("heading", { name: "Thesis" }).click();
  await amira.keyboard.press("End");
  await amira.keyboard.type(" — Get the Article V guarantee first.");
  await expect(amiraPaper).toContainText("Get the Article V guarantee first.");
  // Let the edit reach the server before the lock, as a student's typing would long before the bell.
  await amira.waitForTimeout(300);

  await instructor.getByRole("button", { name: "Next phase" }).click();
  const reason = "Read-only: This paper is locked since the end of Drafting: only the instructor can change it now";
  for (const [student, side] of [
    [amira, "Realpolitik"],
    [ben, "Democracy promotion"],
  ] as const) {
    await expect(student.getByLabel("Current phase")).toHaveText("Opening statement A");
    await expect(student.getByText(reason)).toBeVisible();
    await expect(student.getByRole("textbox", { name: `${side} position paper` })).toHaveAttribute(
      "contenteditable",
      "false",
    );
  }

  await instructor.getByRole("link", { name: "Paper snapshots" }).click();
  const snapshotLink = instructor.getByRole("link", { name: /^Realpolitik paper — end of Drafting, \d\d:\d\d:\d\d$/ });
  await expect(snapshotLink).toBeVisible();
  await expect(instructor.getByRole("link", { name: /^Democracy promotion paper — end of Drafting/ })).toBeVisible();
  await snapshotLink.click();
  const snapshot = instructor.getByRole("textbox", { name: "Realpolitik paper snapshot" });
  await expect(snapshot).toContainText("Get the Article V guarantee first.");
  await expect(snapshot).toHaveAttribute("contenteditable", "false");
});

test("the projector follows the keyboard-driven control room, with prep banks for Public Forum", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await createEssayDebate(instructor);
  const controlUrl = instructor.url();

  await instructor.getByRole("link", { name: "Formats" }).click();
  await instructor.getByRole("button", { name: "Use Public Forum" }).click();
  await expect(instructor).toHaveURL(controlUrl);
  await expect(instructor.getByRole("heading", { name: "Public Forum: 12 phases" })).toBeVisible();

  const projector = await instructor.context().newPage();
  await projector.goto(controlUrl.replace(/\/control$/, "/projector"));
  const clock = projector.getByRole("timer", { name: "Time remaining" });
  await expect(clock).toHaveText("20:00");
  await expect(projector.getByText("Next: Pro constructive (Realpolitik)")).toBeVisible();
  await expect(projector.getByText("Realpolitik prep: 3:00")).toBeVisible();

  await instructor.getByRole("heading", { name: "Round", exact: true }).click();
  await instructor.keyboard.press("ArrowRight");
  await expect(projector.getByLabel("Current phase")).toHaveText("Pro constructive");
  await expect(projector.getByText("Realpolitik speaks", { exact: true })).toBeVisible();
  // Screen readers hear the change through the polite live region.
  await expect(projector.getByText("Now: Pro constructive. Realpolitik speaks.")).toHaveAttribute(
    "aria-live",
    "polite",
  );
  await instructor.keyboard.press("ArrowUp");
  await expect(clock).toHaveText("4:30");
  await instructor.keyboard.press(" ");
  await expect(clock).toHaveText(/^4:2\d$/);
  await instructor.keyboard.press(" ");
  await expect(projector.getByText("Paused")).toBeVisible();

  await instructor.getByRole("button", { name: "Democracy promotion prep" }).click();
  await expect(projector.getByText(/^Democracy promotion prep \(running\): 2:5\d$/)).toBeVisible();
  await instructor.getByRole("button", { name: "Go to Grand crossfire" }).click();
  // A phase card asks first: a stray click does not move the round.
  await expect(projector.getByLabel("Current phase")).not.toHaveText("Grand crossfire");
  await instructor.getByRole("button", { name: "Jump to Grand crossfire" }).click();
  await expect(projector.getByLabel("Current phase")).toHaveText("Grand crossfire");
  await expect(projector.getByText("Next: Pro final focus (Realpolitik)")).toBeVisible();
  await projector.close();
});

test("a time signal shows its cue and is announced on every screen when the clock crosses it", async ({ openPage }) => {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  const student = await openPage();
  await joinAsStudent(student, studentCode, "Chloé", "Democracy promotion");
  await expect(student.getByRole("checkbox", { name: "Mute bells" })).toBeChecked();
  await expect(instructor.getByRole("checkbox", { name: "Mute bells" })).not.toBeChecked();

  await instructor.getByRole("button", { name: "Next phase" }).click();
  await instructor.getByRole("button", { name: "Start" }).click();
  for (let step = 0; step < 4; step++) {
    await instructor.getByRole("button", { name: "−30 s" }).click();
  }
  for (const page of [instructor, student]) {
    await expect(page.getByRole("timer", { name: "Time remaining" })).toHaveText(/^(1:00|0:59)$/);
    await expect(page.locator(".signal-cue")).toHaveText("One minute left");
    // Other polite live regions exist (e.g. the evidence bar's); the round's says the signal once.
    await expect(page.locator("[aria-live=polite]").filter({ hasText: /^One minute left$/ })).toHaveCount(1);
  }
});

test("the instructor copies a format, edits its phases in the browser and runs the round with it", async ({
  openPage,
}) => {
  const instructor = await openPage();
  await createEssayDebate(instructor);
  await instructor.getByRole("link", { name: "Formats" }).click();
  await instructor.getByRole("link", { name: "Copy and edit Classroom" }).click();

  await instructor.getByLabel("Format name").fill("Short classroom");
  await instructor.getByLabel("Minutes of Drafting").fill("10");
  await instructor.getByLabel("Name of phase 2").fill("Opening, Realpolitik");
  await instructor.getByRole("button", { name: "Remove Closing B" }).click();
  await instructor.getByLabel("Papers during Rebuttal A").selectOption({ label: "Only Realpolitik open" });
  await instructor.getByRole("button", { name: "Save and use it" }).click();

  await expect(instructor.getByRole("heading", { name: "Short classroom: 6 phases" })).toBeVisible();
  await expect(instructor.getByRole("timer", { name: "Time remaining" })).toHaveText("10:00");
  await expect(instructor.getByRole("button", { name: "Go to Opening, Realpolitik" })).toBeVisible();
  await expect(instructor.getByRole("button", { name: "Go to Closing B" })).toHaveCount(0);

  await instructor.getByRole("link", { name: "Formats" }).click();
  await expect(instructor.getByRole("heading", { name: "Your formats" })).toBeVisible();
  await instructor.getByRole("link", { name: "Edit Short classroom" }).click();
  await instructor.getByLabel("Bells during Drafting").fill("soon");
  await instructor.getByRole("button", { name: "Save format" }).click();
  await expect(instructor.getByRole("alert")).toContainText("The format is not valid: phase 1, signals");
});
