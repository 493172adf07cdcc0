import { useRef } from "react";
import { paragraphAnchor } from "../../shared/reading";
import type { ReadingView } from "../../shared/views";
import { AddEvidenceButton } from "./paper/AddEvidenceButton";

export function ReadingPane({ reading }: { reading: ReadingView }) {
  const paragraphList = useRef<HTMLOListElement>(null);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboard users can scroll it (axe scrollable-region-focusable)
    <section className="reading" aria-label="Reading" tabIndex={0}>
      <header>
        <h2>{reading.title}</h2>
        <p className="credit">{reading.credit}</p>
      </header>
      <AddEvidenceButton paragraphList={paragraphList} />
      <ol className="paragraphs" ref={paragraphList}>
        {reading.paragraphs.map((paragraph, index) => {
          const number = index + 1;
          return (
            <li key={number} id={paragraphAnchor(number)} value={number}>
              <span className="paragraph-number" aria-hidden="true">
                ¶{number}
              </span>
              <p>{paragraph}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
