import { readFileSync } from "node:fs";

/**
 * The debate Caucus offers out of the box, built on the seed reading (shipped unchanged in
 * confrontation-in-the-caucasus.txt beside this file). Prompts are our own words; each points
 * at the essay paragraph a team should read for evidence.
 */

export interface ArgumentPrompt {
  heading: string;
  prompt: string;
  /** 1-based paragraph numbers of the reading. */
  paragraphs: number[];
}

export interface SidePack {
  name: string;
  description: string;
  color: string;
  thesisPrompt: string;
  arguments: ArgumentPrompt[];
}

export interface DebatePack {
  title: string;
  motion: string;
  readingTitle: string;
  readingCredit: string;
  readingText: string;
  sides: SidePack[];
}

const readingText = readFileSync(new URL("./confrontation-in-the-caucasus.txt", import.meta.url), "utf8");

export const ESSAY_PACK: DebatePack = {
  title: "After Georgia: realpolitik or democracy promotion?",
  motion:
    "This house believes that, after Georgia, the United States should put realpolitik before democracy promotion.",
  readingTitle: "Confrontation in the Caucasus",
  readingCredit: "Seed reading: a 2008 blog essay on the Russia–Georgia war and US foreign policy.",
  readingText,
  sides: [
    {
      name: "Realpolitik",
      description: "The US should act within the limits of its power and put credible guarantees first.",
      color: "#1d4ed8",
      thesisPrompt:
        "State in one sentence why Washington should lead with interests and power, not with the spread of democracy.",
      arguments: [
        {
          heading: "The limits of US influence",
          prompt:
            "The war showed what the US could not do for a friend. Explain why promises that cannot be kept cost more than they buy.",
          paragraphs: [5, 3],
        },
        {
          heading: "Credibility: guarantees before gestures",
          prompt:
            "Georgia sent troops to Iraq and still stood alone. Argue that only a formal alliance guarantee (Article V) gives real security, and what that means for US commitments.",
          paragraphs: [2, 3],
        },
        {
          heading: "Spheres of influence and the end of unipolarity",
          prompt:
            "If other great powers now claim spheres of influence, how should the US set its priorities? Use the essay's account of the end of the unipolar order.",
          paragraphs: [9, 10, 11],
        },
      ],
    },
    {
      name: "Democracy promotion",
      description: "Supporting democracies is both right and in America's long-term interest.",
      color: "#b45309",
      thesisPrompt: "State in one sentence why the US should keep backing democratic movements even after Georgia.",
      arguments: [
        {
          heading: "The colour revolutions as a demonstration effect",
          prompt:
            "The Rose Revolution inspired others and worried authoritarian governments. Argue why that effect is worth defending rather than abandoning.",
          paragraphs: [6],
        },
        {
          heading: "Reassuring Poland and the Baltics",
          prompt:
            "Allies now ask whether US support is real. Show how standing by democracies keeps NATO cohesive and reassures its eastern members.",
          paragraphs: [5, 9],
        },
        {
          heading: "What abandoning Georgia would signal",
          prompt:
            "Argue that retreating to pure power politics tells every young democracy it is on its own, and answer the charge that the normative case has been discredited.",
          paragraphs: [7, 6],
        },
      ],
    },
  ],
};
