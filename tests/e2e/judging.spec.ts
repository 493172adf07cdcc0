import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createEssayDebate, expect, joinAsStudent, test } from "./fixtures";

const RP = "Realpolitik";
const DP = "Democracy promotion";
const CRITERIA = ["claim", "evidence", "reasoning", "rebuttal", "delivery"];

/** What each judge types: one level per argument block (for every criterion), in paper order, a comment and a vote. */
const BALLOTS = {
  "Judge Rao": {
    levels: { [RP]: [4, 3, 4], [DP]: [2, 2, 3] },
    comments: { [RP]: "Article V point lands: cite the paragraph", [DP]: "Which colour revolution, exactly?" },
    winner: RP,
    reason: "Realpolitik tied its evidence to the motion",
  },
  "Judge Lee": {
    levels: { [RP]: [1, 2, 2], [DP]: [3, 4, 3] },
    comments: { [RP]: "Spheres of influence is asserted, not argued", [DP]: "The Baltic reassurance case is strong" },
    winner: DP,
    reason: "Democracy promotion answered the credibility point",
  },
} as const;
type JudgeName = keyof typeof BALLOTS;

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

async function joinAsJudge(page: Page, code: string, name: string) {
  await page.goto(`/join?code=${code}`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  // A judge lands on their ballot.
  await expect(page.getByRole("heading", { name: "Score the arguments" })).toBeVisible();
}

async function scoreAndSubmit(page: Page, judge: JudgeName) {
  const ballot = BALLOTS[judge];
  for (const side of [RP, DP] as const) {
    const paper = page.getByRole("region", { name: new RegExp(`^${side} \\(side`) });
    await expect(paper.getByRole("note")).toHaveText(/^Locked snapshot: /);
    const argumentBlocks = paper.getByRole("article");
    await expect(argumentBlocks).toHaveCount(3);
    for (const [index, level] of ballot.levels[side].entries()) {
      const block = argumentBlocks.nth(index);
      const selects = block.getByRole("combobox");
      await expect(selects).toHaveCount(CRITERIA.length);
      for (let criterion = 0; criterion < CRITERIA.length; criterion++) {
        await selects.nth(criterion).selectOption(String(level));
      }
    }
    await argumentBlocks.first().getByRole("textbox").fill(ballot.comments[side]);
  }
  // The draft saves as the judge types, and survives a reload.
  await expect(page.getByRole("status")).toHaveText("Draft saved");
  await page.reload();
  await expect(
    page
      .getByRole("region", { name: new RegExp(`^${RP} \\(side`) })
      .getByRole("article")
      .first()
      .getByRole("textbox"),
  ).toHaveValue(ballot.comments[RP]);

  await page.getByRole("radio", { name: ballot.winner }).check();
  await page.getByLabel("Reason for decision").fill(ballot.reason);
  await page.getByRole("button", { name: "Submit ballot" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Ballot submitted/);
  await expect(page.getByRole("button", { name: "Submit ballot" })).toBeDisabled();
}

async function release(instructor: Page, stage: string) {
  await instructor.getByLabel("What students see").selectOption({ label: stage });
  // The release is stored when its POST answers; a student's reload before that would race it.
  const stored = instructor.waitForResponse(
    (response) => response.request().method() === "POST" && new URL(response.url()).pathname.includes("/results"),
  );
  await instructor.getByRole("button", { name: "Release" }).click();
  expect((await stored).ok()).toBe(true);
  await expect(instructor.getByLabel("What students see")).toHaveValue(/.+/);
}

test("two judges disagree argument by argument; the chair breaks the tie; results are released in stages; the CSV holds the ballots", async ({
  openPage,
}) => {
  test.setTimeout(90_000);
  const instructor = await openPage();
  const { studentCode, judgeCode } = await createEssayDebate(instructor);
  const controlUrl = instructor.url();
  const debateId = controlUrl.split("/")[4]!;
  const amira = await openPage();
  const ben = await openPage();
  await joinAsStudent(amira, studentCode, "Amira", RP);
  await joinAsStudent(ben, studentCode, "Ben", DP);

  // Drafting ends: both papers are locked as snapshots, which the judges score.
  await instructor.getByRole("button", { name: "Start" }).click();
  await instructor.getByRole("button", { name: "Next phase" }).click();
  await expect(instructor.getByLabel("Current phase")).toHaveText("Opening statement A");

  const rao = await openPage();
  const lee = await openPage();
  await joinAsJudge(rao, judgeCode, "Judge Rao");
  await joinAsJudge(lee, judgeCode, "Judge Lee");
  expect(await seriousViolations(lee), "judge room").toEqual([]);

  // The instructor makes Judge Rao the chair.
  await instructor.goto(`/debates/${debateId}/results`);
  await instructor.getByLabel("Chair (casting vote)").selectOption({ label: "Judge Rao" });
  await instructor.getByRole("button", { name: "Save chair" }).click();
  await expect(instructor.getByLabel("Chair (casting vote)")).toHaveValue(/.+/);

  // A judge who has not submitted sees no other ballot.
  expect((await lee.request.get(`/debates/${debateId}/results`)).status()).toBe(403);
  expect((await lee.request.get(`/debates/${debateId}/results.csv`)).status()).toBe(403);

  await scoreAndSubmit(rao, "Judge Rao");
  await scoreAndSubmit(lee, "Judge Lee");

  // Nothing is released: the student sees no decision.
  await amira.goto(`/debates/${debateId}/results`);
  await expect(amira.getByRole("heading", { name: "Results", level: 1 })).toBeVisible();
  await expect(amira.getByText("The results are not released yet.")).toBeVisible();

  await instructor.reload();
  await expect(instructor.getByText("Judge Rao (chair): submitted · votes Realpolitik")).toBeVisible();
  await release(instructor, "Decision");
  await amira.reload();
  const decision = `${RP} wins: the panel split 1–1 and the chair, Judge Rao, broke the tie.`;
  await expect(amira.getByRole("status")).toHaveText(decision);
  await expect(amira.getByRole("heading", { name: "Scores", exact: true })).toHaveCount(0);

  await release(instructor, "Decision and scores");
  await amira.reload();
  const chart = amira.getByRole("figure");
  await expect(chart).toContainText("Mean level per criterion");
  // Claim means: Realpolitik (4+3+4+1+2+2)/6 = 2.67, Democracy promotion (2+2+3+3+4+3)/6 = 2.83.
  await expect(chart.getByRole("row", { name: /^Claim \(20%\)/ })).toHaveText(/2\.67.*2\.83/);
  // The heat on Amira's own first argument: (100 + 25) / 2 = 62.5, "Solid".
  const ownPaper = amira.getByRole("region", { name: new RegExp(`^${RP} \\(side`) });
  await expect(ownPaper.getByRole("article").first()).toContainText("Solid · 62.5 / 100");
  for (const ballot of Object.values(BALLOTS)) {
    for (const comment of Object.values(ballot.comments)) await expect(amira.getByText(comment)).toHaveCount(0);
  }

  await release(instructor, "Decision, scores and written feedback");
  await amira.reload();
  await expect(ownPaper.getByRole("article").first()).toContainText(BALLOTS["Judge Rao"].comments[RP]);
  await expect(ownPaper.getByRole("article").first()).toContainText(BALLOTS["Judge Lee"].comments[RP]);
  await expect(amira.getByText(BALLOTS["Judge Rao"].comments[DP])).toHaveCount(0);
  await expect(amira.getByText(BALLOTS["Judge Lee"].comments[DP])).toHaveCount(0);
  expect(await seriousViolations(amira), "results, student").toEqual([]);
  await instructor.reload();
  expect(await seriousViolations(instructor), "results, instructor").toEqual([]);
  // Ben sees his own team's comments, not Amira's.
  await ben.goto(`/debates/${debateId}/results`);
  await expect(ben.getByText(BALLOTS["Judge Lee"].comments[DP])).toBeVisible();
  await expect(ben.getByText(BALLOTS["Judge Rao"].comments[RP])).toHaveCount(0);

  // The CSV export holds exactly the ballots typed above.
  const csv = await (await instructor.request.get(`/debates/${debateId}/results.csv`)).text();
  const [header, ...rows] = csv.trim().split("\r\n");
  expect(header).toBe(
    `judge,chair,vote,team,argument_id,argument,${CRITERIA.join(",")},weighted_score,comment,reason,feedback,speaker_points`,
  );
  const expected: string[] = [];
  for (const judge of Object.keys(BALLOTS) as JudgeName[]) {
    const ballot = BALLOTS[judge];
    for (const side of [RP, DP] as const) {
      ballot.levels[side].forEach((level, index) => {
        const comment = index === 0 ? ballot.comments[side] : "";
        expected.push(
          [
            judge,
            judge === "Judge Rao" ? "yes" : "no",
            ballot.winner,
            side,
            ...CRITERIA.map(() => level),
            level * 25,
            comment.includes(",") ? `"${comment}"` : comment,
            ballot.reason,
            "",
            "",
          ].join(","),
        );
      });
    }
  }
  // Drop the argument id and title (made by the server) before comparing what the judges typed.
  const typed = rows.map((row) => {
    const cells = [...`${row},`.matchAll(/("(?:[^"]|"")*"|[^,]*),/g)].map((match) => match[1]!);
    return [...cells.slice(0, 4), ...cells.slice(6)].join(",");
  });
  expect(typed).toEqual(expected);
});
