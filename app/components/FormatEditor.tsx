import { Form } from "@remix-run/react";
import { useState } from "react";
import {
  CUSTOM_FORMAT_PREFIX,
  type Format,
  MAX_PHASES,
  type PaperEditing,
  type Phase,
  standardSignals,
  type TimeSignal,
} from "../../shared/rounds/formats";
import { formatClock } from "../lib/round-view";

type PapersChoice = "all-open" | "all-locked" | "side-0" | "side-1";

interface PhaseDraft {
  key: string;
  name: string;
  minutes: string;
  speakingSide: "none" | "0" | "1";
  papers: PapersChoice;
  /** Remaining times at which bells ring, "m:ss" separated by commas. */
  bells: string;
  original: TimeSignal[];
}

function papersChoice(editing: PaperEditing): PapersChoice {
  switch (editing.kind) {
    case "all-open":
      return "all-open";
    case "all-locked":
      return "all-locked";
    case "sides-open":
      return editing.sides.length === 1 && editing.sides[0] === 1 ? "side-1" : "side-0";
  }
}

function papersRule(choice: PapersChoice): PaperEditing {
  switch (choice) {
    case "all-open":
      return { kind: "all-open" };
    case "all-locked":
      return { kind: "all-locked" };
    case "side-0":
      return { kind: "sides-open", sides: [0] };
    case "side-1":
      return { kind: "sides-open", sides: [1] };
  }
}

const bellsText = (signals: TimeSignal[]) => signals.map((signal) => formatClock(signal.atRemainingMs)).join(", ");

/** Reads "1:00, 0:30, 0:00"; a time the phase already had keeps its label and bell count. */
function parseBells(text: string, original: TimeSignal[]): TimeSignal[] | null {
  const signals: TimeSignal[] = [];
  for (const part of text
    .split(",")
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const match = /^(\d{1,3}):([0-5]\d)$/.exec(part);
    if (!match) return null;
    const atRemainingMs = (Number(match[1]) * 60 + Number(match[2])) * 1000;
    const kept = original.find((signal) => signal.atRemainingMs === atRemainingMs);
    signals.push(
      kept ?? {
        atRemainingMs,
        label: atRemainingMs === 0 ? "Time" : `${part} left`,
        bells: atRemainingMs === 0 ? 2 : 1,
      },
    );
  }
  return signals;
}

function draftOf(phase: Phase, index: number): PhaseDraft {
  return {
    key: `${phase.id}-${index}`,
    name: phase.name,
    minutes: String(phase.durationMs / 60_000),
    speakingSide: phase.speakingSide === null ? "none" : phase.speakingSide === 1 ? "1" : "0",
    papers: papersChoice(phase.papers),
    bells: bellsText(phase.signals),
    original: phase.signals,
  };
}

function buildFormat(base: Format, name: string, prepMinutes: string, drafts: PhaseDraft[]): unknown {
  return {
    ...base,
    name,
    prepTimeMs: Math.round(Number(prepMinutes) * 60_000),
    phases: drafts.map((draft, index) => ({
      id: `phase-${index + 1}`,
      name: draft.name,
      durationMs: Math.round(Number(draft.minutes) * 60_000),
      speakingSide: draft.speakingSide === "none" ? null : Number(draft.speakingSide),
      papers: papersRule(draft.papers),
      // An unreadable bell list is sent as is, so the server refuses it with a reason.
      signals: parseBells(draft.bells, draft.original) ?? draft.bells,
    })),
  };
}

let draftCounter = 0;

/** Edits a copy of a format in the browser; the server validates it with the same zod schema. */
export function FormatEditor({ base, sideNames }: { base: Format; sideNames: [string, string] }) {
  const ownFormat = base.id.startsWith(CUSTOM_FORMAT_PREFIX);
  const [name, setName] = useState(ownFormat ? base.name : `${base.name} (copy)`);
  const [prepMinutes, setPrepMinutes] = useState(String(base.prepTimeMs / 60_000));
  const [drafts, setDrafts] = useState(() => base.phases.map(draftOf));
  const update = (index: number, change: Partial<PhaseDraft>) =>
    setDrafts((current) => current.map((draft, at) => (at === index ? { ...draft, ...change } : draft)));
  const move = (index: number) =>
    setDrafts((current) => {
      const next = [...current];
      [next[index - 1], next[index]] = [next[index]!, next[index - 1]!];
      return next;
    });
  const sideLabel = (side: 0 | 1) => `${sideNames[side]} (${base.sideLabels[side]})`;

  return (
    <Form method="post" className="format-editor" aria-labelledby="editor-heading">
      <h2 id="editor-heading">{ownFormat ? `Edit ${base.name}` : `Edit a copy of ${base.name}`}</h2>
      <input type="hidden" name="format" value={JSON.stringify(buildFormat(base, name, prepMinutes, drafts))} />
      <div className="format-fields">
        <label>
          Format name
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required />
        </label>
        <label>
          Prep time per team (minutes)
          <input
            type="number"
            min={0}
            max={30}
            step={0.5}
            value={prepMinutes}
            onChange={(event) => setPrepMinutes(event.target.value)}
          />
        </label>
      </div>
      <table className="phase-table">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Minutes</th>
            <th scope="col">Who speaks</th>
            <th scope="col">Papers</th>
            <th scope="col">Bells at (time left)</th>
            <th scope="col">
              <span className="visually-hidden">Order</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft, index) => (
            <tr key={draft.key}>
              <td>
                <input
                  aria-label={`Name of phase ${index + 1}`}
                  value={draft.name}
                  maxLength={80}
                  onChange={(event) => update(index, { name: event.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Minutes of ${draft.name}`}
                  type="number"
                  min={0.5}
                  max={180}
                  step={0.5}
                  value={draft.minutes}
                  onChange={(event) => update(index, { minutes: event.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`Who speaks in ${draft.name}`}
                  value={draft.speakingSide}
                  onChange={(event) =>
                    update(index, { speakingSide: event.target.value as PhaseDraft["speakingSide"] })
                  }
                >
                  <option value="none">Nobody / both</option>
                  <option value="0">{sideLabel(0)}</option>
                  <option value="1">{sideLabel(1)}</option>
                </select>
              </td>
              <td>
                <select
                  aria-label={`Papers during ${draft.name}`}
                  value={draft.papers}
                  onChange={(event) => update(index, { papers: event.target.value as PapersChoice })}
                >
                  <option value="all-open">Both open</option>
                  <option value="all-locked">All locked</option>
                  <option value="side-0">Only {sideNames[0]} open</option>
                  <option value="side-1">Only {sideNames[1]} open</option>
                </select>
              </td>
              <td>
                <input
                  aria-label={`Bells during ${draft.name}`}
                  value={draft.bells}
                  placeholder="1:00, 0:30, 0:00"
                  onChange={(event) => update(index, { bells: event.target.value })}
                />
              </td>
              <td className="phase-actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={index === 0}
                  onClick={() => move(index)}
                  aria-label={`Move ${draft.name} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={drafts.length === 1}
                  onClick={() => setDrafts((current) => current.filter((_, at) => at !== index))}
                  aria-label={`Remove ${draft.name}`}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button
          type="button"
          className="secondary"
          disabled={drafts.length >= MAX_PHASES}
          onClick={() => {
            draftCounter += 1;
            const phase: Phase = {
              id: `new-${draftCounter}`,
              name: "New phase",
              durationMs: 180_000,
              speakingSide: null,
              papers: { kind: "all-locked" },
              signals: standardSignals(180_000),
            };
            setDrafts((current) => [...current, { ...draftOf(phase, current.length), key: `new-${draftCounter}` }]);
          }}
        >
          Add a phase
        </button>
        <button type="submit" name="intent" value="save">
          Save format
        </button>
        <button type="submit" name="intent" value="save-and-use">
          Save and use it
        </button>
      </div>
    </Form>
  );
}
