import type { ReactNode } from "react";
import "./judging.css";
import type { JudgedPaper, PaperBlock } from "../../../shared/judging/views";

type ArgumentBlock = Extract<PaperBlock, { kind: "argument" }>;

/**
 * A judged paper as plain, read-only HTML: the text of each block, and after each argument block
 * whatever the page puts there (score controls in the judge room, scores and comments on results).
 */
export function JudgedPaperView({
  paper,
  renderArgument,
  argumentClass,
}: {
  paper: JudgedPaper;
  renderArgument?: (argument: ArgumentBlock) => ReactNode;
  argumentClass?: (argument: ArgumentBlock) => string;
}) {
  const headingId = `paper-${paper.team.id}`;
  return (
    <section className="judged-paper" aria-labelledby={headingId}>
      <header className="paper-header" style={{ borderColor: paper.team.color }}>
        <h2 id={headingId}>
          <span className="side-swatch" style={{ background: paper.team.color }} aria-hidden="true" />
          {paper.team.name} <span className="side-letter">(side {String.fromCharCode(65 + paper.team.sideIndex)})</span>
        </h2>
        <p className="access-note" role="note">
          {paper.source.kind === "snapshot"
            ? `Locked snapshot: ${paper.source.name}`
            : "Live paper, read-only here: nothing is locked yet, so it may still change"}
        </p>
      </header>
      {paper.blocks.map((block, index) => {
        if (block.kind === "heading") {
          // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
          return <h3 key={index}>{block.text}</h3>;
        }
        if (block.kind === "paragraph") {
          // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
          return <p key={index}>{block.text}</p>;
        }
        // An id copied into another block is not unique, so the block's place keys the element.
        const anchor = `${paper.team.id}-${index}`;
        return (
          <article
            key={anchor}
            id={`argument-${anchor}`}
            className={`judged-argument ${argumentClass?.(block) ?? ""}`}
            aria-labelledby={`argument-title-${anchor}`}
          >
            <h3 id={`argument-title-${anchor}`}>{block.title || "Argument"}</h3>
            {block.notice ? (
              <p className="argument-notice" role="note">
                {block.notice}
              </p>
            ) : null}
            <p className="claim">
              <strong>Claim:</strong> {block.claim || <em>no claim written</em>}
            </p>
            <p className="part-label">Reasoning</p>
            {block.reasoning.length === 0 ? (
              <p>
                <em>no reasoning written</em>
              </p>
            ) : null}
            {block.reasoning.map((text, line) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
              <p key={line}>{text}</p>
            ))}
            <p className="part-label">Evidence</p>
            {block.evidence.length === 0 ? (
              <p>
                <em>no evidence given</em>
              </p>
            ) : null}
            {block.evidence.map((item, line) =>
              item.quoteOfParagraph === null ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
                <p key={line}>{item.text}</p>
              ) : item.matchesReading ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
                <blockquote key={line}>
                  {item.text} <span className="quote-source">(paragraph {item.quoteOfParagraph})</span>
                </blockquote>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: a judged paper is a fixed copy that never reorders
                <p key={line} className="quote-mismatch">
                  {item.text}{" "}
                  <span className="quote-source">
                    (not matching the reading: paragraph {item.quoteOfParagraph} does not contain this text)
                  </span>
                </p>
              ),
            )}
            {renderArgument?.(block)}
          </article>
        );
      })}
    </section>
  );
}
