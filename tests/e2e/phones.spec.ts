import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { createEssayDebate, expect, test } from "./fixtures";

const PHONE = { width: 390, height: 844 };

/**
 * What a phone must not do: scroll sideways, or cut a control. A control is cut when it reaches
 * past the screen's edge, past the edge of a box that hides or scrolls what overflows it, or when
 * its own text is wider than it is.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    }
    const nameOf = (element: Element) =>
      `${element.tagName.toLowerCase()} "${(element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 40)}"`;
    const controls = document.querySelectorAll(
      "button, a[href], input:not([type=hidden]), select, textarea, [role=status], [role=timer], [role=tab]",
    );
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      const shown = control.checkVisibility({ visibilityProperty: true });
      if (!shown || box.width === 0 || box.height === 0 || control.closest(".visually-hidden")) continue;
      if (box.left < -1 || box.right > width + 1) problems.push(`${nameOf(control)} reaches past the screen`);
      if (control.scrollWidth > control.clientWidth + 1 && !(control instanceof HTMLInputElement)) {
        problems.push(`${nameOf(control)} is wider inside than it is`);
      }
      for (let parent = control.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX === "visible") continue;
        const outer = parent.getBoundingClientRect();
        if (box.left < outer.left - 1 || box.right > outer.right + 1) {
          problems.push(`${nameOf(control)} is cut by ${parent.tagName.toLowerCase()}.${parent.className}`);
          break;
        }
      }
    }
    return problems;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

async function expectFitsThePhone(page: Page, what: string): Promise<void> {
  expect(await layoutProblems(page), `${what}: layout`).toEqual([]);
  expect(await seriousViolations(page), `${what}: axe`).toEqual([]);
}

async function phone(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error on ${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  return page;
}

async function join(page: Page, code: string, name: string): Promise<void> {
  await page.goto(`/join?code=${code}`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
}

test("the room, the judge room, the control room and the vote page fit a 390 px phone", async ({
  browser,
  openPage,
}) => {
  test.setTimeout(90_000);
  const problems: string[] = [];
  const instructor = await openPage();
  const { studentCode, judgeCode } = await createEssayDebate(instructor);
  const controlUrl = instructor.url();
  const debateId = controlUrl.split("/")[4]!;
  await instructor.goto(`/debates/${debateId}/formats`);
  await instructor.getByRole("button", { name: "Use Oxford-style" }).click();
  await expect(instructor.getByText("in use")).toBeVisible();
  const audienceLink = await instructor.evaluate(async (url) => {
    const html = await (await fetch(url)).text();
    return html.match(/\/watch\/[A-Za-z0-9_-]+/)?.[0] ?? "";
  }, controlUrl);
  expect(audienceLink).not.toBe("");

  const student = await phone(browser, problems);
  await join(student, studentCode, "Amira Rahman-Okonkwo");
  await student.getByRole("button", { name: "Join Realpolitik" }).click();
  const paper = student.getByRole("textbox", { name: "Realpolitik position paper" });
  await expect(paper.locator("section.argument")).toHaveCount(3);
  await expect(student.getByRole("checkbox", { name: "Mute bells" })).toBeInViewport();
  await expect(student.getByRole("timer", { name: "Time remaining" })).toBeInViewport();
  await expectFitsThePhone(student, "debate room, paper");
  await student.getByRole("tab", { name: "Reading" }).click();
  await expect(student.getByRole("region", { name: "Reading" })).toBeInViewport();
  await expect(paper).toBeHidden();
  await expectFitsThePhone(student, "debate room, reading");
  await student.getByRole("tab", { name: "Paper" }).click();
  await expect(paper).toBeVisible();
  // The smallest phones in use are 360 px wide.
  await student.setViewportSize({ width: 360, height: 740 });
  expect(await layoutProblems(student), "debate room at 360 px").toEqual([]);
  await student.setViewportSize(PHONE);

  const judge = await phone(browser, problems);
  await join(judge, judgeCode, "Judge Rao");
  await expect(judge.getByRole("heading", { name: "Score the arguments" })).toBeVisible();
  await expectFitsThePhone(judge, "judge room");

  const voter = await phone(browser, problems);
  await voter.goto(audienceLink);
  await voter.goto(`/debates/${debateId}/vote`);
  await expect(voter.getByRole("button", { name: "Vote Realpolitik" })).toBeVisible();
  await expectFitsThePhone(voter, "vote page");

  await instructor.setViewportSize(PHONE);
  await instructor.goto(controlUrl);
  await expect(instructor.getByRole("button", { name: "Start" })).toBeVisible();
  await expectFitsThePhone(instructor, "control room");

  await student.screenshot({ path: "test-results/phone-room.png" });
  await judge.screenshot({ path: "test-results/phone-judge.png", fullPage: true });
  await instructor.screenshot({ path: "test-results/phone-control.png", fullPage: true });
  await voter.screenshot({ path: "test-results/phone-vote.png" });
  for (const page of [student, judge, voter]) await page.context().close();
  expect(problems, "unexpected console errors").toEqual([]);
});
