import { paragraphAnchor } from "../../shared/reading";
import type { ReadingView } from "../../shared/views";

export function ReadingPane({ reading }: { reading: ReadingView }) {
  return (
    <section className="reading" aria-label="Reading" tabIndex={0}>
      <header>
        <h2>{reading.title}</h2>
        <p className="credit">{reading.credit}</p>
      </header>
      <ol className="paragraphs">
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
