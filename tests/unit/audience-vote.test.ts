import { describe, expect, it } from "vitest";
import { openAudienceVote } from "../../shared/judging/audience-vote";
import { CLASSROOM_FORMAT, type Format, OXFORD_FORMAT } from "../../shared/rounds/formats";
import { INITIAL_ROUND_STATE } from "../../shared/rounds/round";
import type { RoundState } from "../../shared/rounds/round-clock";

const at = (phaseIndex: number, state: "idle" | "paused" = "idle"): RoundState =>
  state === "idle"
    ? { ...INITIAL_ROUND_STATE, phaseIndex }
    : { ...INITIAL_ROUND_STATE, state: "paused", phaseIndex, elapsedMs: 1000 };
const phaseOf = (format: Format, id: string) => format.phases.findIndex((phase) => phase.id === id);

describe("the audience vote follows the format's phases", () => {
  it("Oxford: before until its phase ends, closed during the debate, after from its phase on", () => {
    const before = phaseOf(OXFORD_FORMAT, "vote-before");
    const after = phaseOf(OXFORD_FORMAT, "vote-after");
    expect(openAudienceVote(OXFORD_FORMAT, undefined)).toBe("before");
    expect(openAudienceVote(OXFORD_FORMAT, at(0))).toBe("before");
    expect(openAudienceVote(OXFORD_FORMAT, at(before, "paused"))).toBe("before");
    expect(openAudienceVote(OXFORD_FORMAT, at(before + 1))).toBeNull();
    expect(openAudienceVote(OXFORD_FORMAT, at(after - 1, "paused"))).toBeNull();
    expect(openAudienceVote(OXFORD_FORMAT, at(after))).toBe("after");
    expect(openAudienceVote(OXFORD_FORMAT, { ...INITIAL_ROUND_STATE, state: "finished", phaseIndex: after })).toBe(
      "after",
    );
  });

  it("a copied format keeps its vote phases by name, even with new phase ids", () => {
    const copy: Format = {
      ...OXFORD_FORMAT,
      id: "custom-1",
      phases: OXFORD_FORMAT.phases.map((phase, index) => ({ ...phase, id: `phase-${index + 1}` })),
    };
    expect(openAudienceVote(copy, at(2))).toBeNull();
    expect(openAudienceVote(copy, at(copy.phases.length - 1))).toBe("after");
  });

  it("without vote phases: before until the first speech starts, after once the round is finished", () => {
    const plain: Format = { ...CLASSROOM_FORMAT, audienceVote: true };
    const firstSpeech = plain.phases.findIndex((phase) => phase.speakingSide !== null);
    expect(openAudienceVote(plain, at(firstSpeech))).toBe("before");
    expect(openAudienceVote(plain, at(firstSpeech, "paused"))).toBeNull();
    expect(openAudienceVote(plain, { ...INITIAL_ROUND_STATE, state: "finished", phaseIndex: 3 })).toBe("after");
    expect(openAudienceVote(CLASSROOM_FORMAT, at(0))).toBeNull();
  });
});
