import { describe, expect, it } from "vitest";
import { crossedSignal, formatClock, roundView } from "../../app/lib/round-view";
import type { TeamView } from "../../shared/classroom/views";
import { PUBLIC_FORUM_FORMAT, WORLD_SCHOOLS_FORMAT } from "../../shared/rounds/formats";
import { applyRoundCommand, INITIAL_ROUND_STATE } from "../../shared/rounds/round";

const teams: TeamView[] = [
  { id: "a", sideIndex: 0, name: "Realpolitik", description: "", color: "#1d4ed8", docId: "paper.a" },
  { id: "b", sideIndex: 1, name: "Democracy promotion", description: "", color: "#b45309", docId: "paper.b" },
];

describe("time signals", () => {
  const speech = WORLD_SCHOOLS_FORMAT.phases[1]!;

  it("fire when the clock crosses them, once", () => {
    expect(crossedSignal(speech, 420_200, 419_900)?.label).toBe("Protected time over: points of information allowed");
    expect(crossedSignal(speech, 419_900, 419_700)).toBeNull();
    expect(crossedSignal(speech, 60_050, 59_990)?.label).toBe("Protected time: no more points of information");
    expect(crossedSignal(speech, 100, -20)).toMatchObject({ label: "Time", bells: 2 });
  });

  it("ring only the latest when a jump crosses several, and never when time is added", () => {
    expect(crossedSignal(speech, 480_000, 30_000)?.label).toBe("Protected time: no more points of information");
    expect(crossedSignal(speech, 59_000, 89_000)).toBeNull();
  });
});

describe("what the screens show", () => {
  it("counts down in whole seconds and up in overtime", () => {
    expect(formatClock(180_000)).toBe("3:00");
    expect(formatClock(179_001)).toBe("3:00");
    expect(formatClock(179_000)).toBe("2:59");
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(-1_500)).toBe("+0:01");
  });

  it("names the speaker, the next phase and the prep banks", () => {
    const next = applyRoundCommand(INITIAL_ROUND_STATE, { type: "next" }, PUBLIC_FORUM_FORMAT, 0);
    if (!next.ok) throw new Error(next.reason);
    const prep = applyRoundCommand(next.state, { type: "prep-start", side: 1 }, PUBLIC_FORUM_FORMAT, 1_000);
    if (!prep.ok) throw new Error(prep.reason);
    const view = roundView(
      { debateId: "d", format: PUBLIC_FORUM_FORMAT, round: prep.state, serverNow: 0 },
      teams,
      31_000,
    );
    expect(view.phase?.name).toBe("Pro constructive");
    expect(view.speaker?.name).toBe("Realpolitik");
    expect(view.next?.name).toBe("Con constructive");
    expect(view.prepBanks.map(({ label, remainingMs, running }) => ({ label, remainingMs, running }))).toEqual([
      { label: "Realpolitik", remainingMs: 180_000, running: false },
      { label: "Democracy promotion", remainingMs: 150_000, running: true },
    ]);
  });
});
