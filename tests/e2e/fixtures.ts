import { type Browser, test as base, expect, type Page } from "@playwright/test";

/**
 * Every page opened through `openPage` fails its test on a console error or an uncaught
 * exception: a quiet console is part of what these tests check.
 */
export const test = base.extend<{ openPage: () => Promise<Page> }>({
  openPage: async ({ browser }, use) => {
    const problems: string[] = [];
    const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
    await use(async () => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console.error on ${page.url()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
      return page;
    });
    for (const context of contexts) await context.close();
    expect(problems, "unexpected console errors").toEqual([]);
  },
});

export { expect };

let accounts = 0;

/** "Create a debate" → sign up with a fresh email → the instructor's debates. */
export async function signUpInstructor(page: Page, name = "Ms Okafor"): Promise<{ email: string; password: string }> {
  accounts++;
  const email = `instructor-${Date.now()}-${accounts}@example.test`;
  const password = "correct horse battery";
  await page.goto("/");
  await page.getByRole("link", { name: "Create a debate" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Your debates" })).toBeVisible();
  return { email, password };
}

/**
 * The instructor flow: sign up → "Start from the essay" → control room → let students pick their
 * team (new debates balance teams; most room tests place students on chosen sides).
 */
export async function createEssayDebate(page: Page): Promise<{ studentCode: string; judgeCode: string }> {
  await signUpInstructor(page);
  await page.getByRole("button", { name: "Start from the essay" }).click();
  await page.getByLabel("Team assignment").selectOption("choose");
  await page.getByRole("button", { name: "Save team assignment" }).click();
  await expect(page.getByLabel("Team assignment")).toHaveValue("choose");
  const studentCode = (await page.getByLabel("Student join code").textContent())?.trim() ?? "";
  const judgeCode = (await page.getByLabel("Judge join code").textContent())?.trim() ?? "";
  expect(studentCode).toMatch(/^[A-Z2-9]{6}$/);
  return { studentCode, judgeCode };
}

export async function joinAsStudent(page: Page, code: string, name: string, team?: string): Promise<void> {
  await page.goto("/");
  await page.getByRole("link", { name: "Join a debate" }).click();
  await page.getByLabel("Join code").fill(code);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
  if (team) await page.getByRole("button", { name: `Join ${team}` }).click();
}

/** An essay debate with Amira and Ben joined on the given teams: the start of most room tests. */
export async function debateWithTwoStudents(
  openPage: () => Promise<Page>,
  teams: { amira: string; ben: string } = { amira: "Realpolitik", ben: "Realpolitik" },
): Promise<{ instructor: Page; amira: Page; ben: Page; studentCode: string }> {
  const instructor = await openPage();
  const { studentCode } = await createEssayDebate(instructor);
  const amira = await openPage();
  const ben = await openPage();
  await joinAsStudent(amira, studentCode, "Amira", teams.amira);
  await joinAsStudent(ben, studentCode, "Ben", teams.ben);
  return { instructor, amira, ben, studentCode };
}
