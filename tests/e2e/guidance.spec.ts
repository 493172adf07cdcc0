import type { Locator, Page } from "@playwright/test";
import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

/** What a student must never be able to change: the guidance of the scaffold, and how many blocks there are. */
async function guidanceOf(paper: Locator) {
  return {
    blocks: await paper.locator("section.argument").count(),
    titles: await paper.locator(".argument-title").allTextContents(),
    prompts: await paper.locator(".argument-prompt").allTextContents(),
    labels: await paper.locator(".argument-part-label").allTextContents(),
    thesis: await paper.locator(".thesis-guidance").allTextContents(),
  };
}

async function openPaper(page: Page): Promise<Locator> {
  const paper = page.getByRole("textbox", { name: "Realpolitik position paper" });
  await expect(paper.locator("section.argument")).toHaveCount(3);
  return paper;
}

test("clicking any guidance and typing writes into the nearest part and never copies a block", async ({ openPage }) => {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  const student = await openPage();
  await joinAsStudent(student, studentCode, "Amira", "Realpolitik");
  const paper = await openPaper(student);
  const before = await guidanceOf(paper);
  expect(before.thesis.join(" ")).toContain("Thesis");
  const placeholder = await paper
    .locator(".thesis-content p.is-empty")
    .evaluate((element) => getComputedStyle(element, "::before").content);
  expect(placeholder).toMatch(/thesis/i);

  const second = paper.locator("section.argument").nth(1);
  const clicks: Array<{ target: Locator; typed: string; landsIn: Locator }> = [
    { target: second.locator(".argument-title"), typed: "T1", landsIn: second.locator(".argument-claim") },
    { target: second.locator(".argument-prompt"), typed: "P2", landsIn: second.locator(".argument-claim") },
    {
      target: second.locator(".argument-reasoning .argument-part-label"),
      typed: "R3",
      landsIn: second.locator(".argument-reasoning"),
    },
    {
      target: second.locator(".argument-evidence .argument-part-label"),
      typed: "E4",
      landsIn: second.locator(".argument-evidence"),
    },
    { target: paper.locator(".thesis-title"), typed: "H5", landsIn: paper.locator(".thesis-content") },
    { target: paper.locator(".thesis-prompt"), typed: "I6", landsIn: paper.locator(".thesis-content") },
  ];
  for (const { target, typed, landsIn } of clicks) {
    await target.click({ position: { x: 4, y: 4 } });
    await student.keyboard.type(typed);
    await expect(landsIn).toContainText(typed);
    expect(await guidanceOf(paper)).toEqual(before);
  }

  await student.keyboard.press("Control+Home");
  await student.keyboard.type("Z7");
  await expect(paper.locator(".thesis-content")).toContainText("Z7");
  expect(await guidanceOf(paper)).toEqual(before);

  // What the student typed reached the server as text in the parts, not as a copy of a block.
  await student.reload();
  const reloaded = await openPaper(student);
  expect(await guidanceOf(reloaded)).toEqual(before);
  await expect(reloaded.locator(".thesis-content")).toContainText("Z7");
  await expect(reloaded.locator("section.argument").nth(1).locator(".argument-claim")).toContainText("P2");
});
test("a tap on the guidance on a phone puts the caret in the part below it", async ({ browser }) => {
  const setup = await browser.newPage();
  const { studentCode } = await createEssayDebate(setup);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const phone = await context.newPage();
  await joinAsStudent(phone, studentCode, "Ben", "Realpolitik");
  const paper = await openPaper(phone);
  const before = await guidanceOf(paper);
  await paper.locator(".thesis-prompt").tap();
  await phone.keyboard.type("Tap");
  await expect(paper.locator(".thesis-content")).toContainText("Tap");
  await paper.locator(".argument-title").first().tap();
  await phone.keyboard.type("Tip");
  await expect(paper.locator("section.argument").first().locator(".argument-claim")).toContainText("Tip");
  expect(await guidanceOf(paper)).toEqual(before);
  await context.close();
  await setup.close();
});
