import type { Page } from "@playwright/test";
import { createEssayDebate, debateWithTwoStudents, expect, joinAsStudent, test } from "./fixtures";

const PASSAGE = "Sending troops to Iraq doesn’t buy you much, get the Article V guarantee first.";

/**
 * Selects `text` inside reading paragraph `paragraph`. The click first does what pressing the mouse
 * there does before a drag: the paper loses focus and the Reading region takes it.
 */
async function selectInReading(page: Page, paragraph: number, text: string): Promise<void> {
  const target = page.locator(`#para-${paragraph} p`);
  await target.click({ position: { x: 2, y: 2 } });
  await target.evaluate((element, wanted) => {
    const node = element.firstChild!;
    const start = node.textContent!.indexOf(wanted);
    if (start < 0) throw new Error(`"${wanted}" is not in this paragraph`);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + wanted.length);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
  }, text);
}

test("a passage selected in the reading becomes an evidence quote in the argument being written", async ({
  openPage,
}) => {
  const { amira, ben } = await debateWithTwoStudents(openPage);

  const paper = amira.getByRole("textbox", { name: "Realpolitik position paper" });
  const secondArgument = paper.locator("section.argument").nth(1);
  await expect(secondArgument).toContainText("Credibility: guarantees before gestures");
  await secondArgument.locator(".argument-claim .argument-part-content").click();
  await amira.keyboard.type("Only a treaty guarantee deters.");

  const reading = amira.getByRole("region", { name: "Reading" });
  const addAsEvidence = reading.getByRole("button", { name: "Add as evidence" });
  await expect(addAsEvidence).toBeDisabled();
  await selectInReading(amira, 3, PASSAGE);
  await expect(addAsEvidence).toBeEnabled();
  await addAsEvidence.click();

  const quote = secondArgument.locator(".argument-evidence blockquote");
  await expect(quote).toHaveText(`${PASSAGE}Reading ¶3`);
  await expect(reading).toContainText("Added ¶3 to the evidence of argument 2.");

  const bensQuote = ben
    .getByRole("textbox", { name: "Realpolitik position paper" })
    .locator("section.argument")
    .nth(1)
    .locator(".argument-evidence blockquote");
  await expect(bensQuote).toContainText(PASSAGE);

  const paragraph = amira.locator("#para-3");
  await reading.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(paragraph).not.toBeInViewport();
  await quote.getByRole("link", { name: "Reading ¶3" }).click();
  await expect(amira).toHaveURL(/#para-3$/);
  await expect(paragraph).toBeInViewport();
  expect(await paragraph.evaluate((element) => element.matches(":target"))).toBe(true);
});

test("Add as evidence needs a selection within one paragraph, quotes whole words and works from the keyboard", async ({
  openPage,
}) => {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  const student = await openPage();
  await joinAsStudent(student, studentCode, "Chen", "Democracy promotion");
  const paper = student.getByRole("textbox", { name: "Democracy promotion position paper" });
  await expect(paper.locator("section.argument")).toHaveCount(3);

  const addAsEvidence = student.getByRole("button", { name: "Add as evidence" });
  await student.locator("#para-6 p").evaluate((first) => {
    const range = document.createRange();
    range.setStart(first.firstChild!, 10);
    range.setEnd(document.querySelector("#para-7 p")!.firstChild!, 10);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
  });
  await expect(addAsEvidence).toBeDisabled();

  await paper.locator("section.argument").first().locator(".argument-evidence p").click();
  await selectInReading(student, 6, "he multi-colored revolutio");
  // The click focused the scrollable Reading region; the button is the first stop inside it.
  await student.keyboard.press("Tab");
  await expect(addAsEvidence).toBeFocused();
  await student.keyboard.press("Enter");
  await expect(paper.locator("section.argument").first().locator(".evidence-quote-text")).toHaveText(
    "The multi-colored revolutions",
  );

  await student.getByRole("button", { name: "Add argument" }).click();
  await expect(paper.locator("section.argument")).toHaveCount(4);
  await student.keyboard.type("A claim of our own.");
  await expect(paper.locator("section.argument").nth(3).locator(".argument-claim")).toContainText(
    "A claim of our own.",
  );
});
