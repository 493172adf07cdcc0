import { useRef } from "react";
import { paragraphAnchor, type ReadingBlock } from "../../shared/classroom/reading";
import type { ReadingView } from "../../shared/classroom/views";
import { AddEvidenceButton } from "./paper/AddEvidenceButton";

/** One numbered paragraph or list item: its number is what evidence quotes cite. */
function Numbered({ number, text, item }: { number: number; text: string; item: boolean }) {
  return (
    <li id={paragraphAnchor(number)} value={number} className={item ? "reading-item" : undefined}>
      <span className="paragraph-number" aria-hidden="true">
        ¶{number}
      </span>
      <p>{text}</p>
    </li>
  );
}

function Block({ block }: { block: ReadingBlock }) {
  switch (block.kind) {
    case "heading":
      return (
        <li className="reading-heading">
          <h3>{block.text}</h3>
        </li>
      );
    case "paragraph":
      return <Numbered number={block.number} text={block.text} item={false} />;
    case "list":
      return block.items.map((item) => <Numbered key={item.number} number={item.number} text={item.text} item />);
  }
}

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
        {reading.blocks.map((block, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a reading is fixed for the life of the debate
          <Block key={index} block={block} />
        ))}
      </ol>
    </section>
  );
}
