import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { ABSTAIN, BallotField, SPEAKER_POINTS, SUBMIT_NEEDS } from "../../shared/judging/fields";
import { LEVELS } from "../../shared/judging/rubric-levels";
import type { Criterion, Rubric } from "../../shared/judging/rubrics";
import { FormError } from "../components/FormError";
import { JudgedPaperView } from "../components/judging/JudgedPaperView";
import { formFields, orThrow, refusal } from "../lib/outcome";
import { useRound } from "../lib/round-client";
import { toJoin } from "../lib/session-gone.server";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Judge room · ${view.debate.title} · Caucus` : "Caucus" },
];

/** How long the judge may pause typing before the draft is saved. */
const DRAFT_DELAY_MS = 700;

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (!context.session) throw toJoin(request);
  return orThrow(await context.services.judgeRoomView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await context.services.saveBallot(context.session, params.debateId ?? "", await formFields(request));
  if (!result.ok) return refusal(result);
  return { error: undefined, status: result.status, updatedAt: result.updatedAt };
}

/** A draft save changes nothing the page shows (the form holds it), so the papers are not decoded again on every pause. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get(BallotField.intent) === "save" ? false : defaultShouldRevalidate;

/** What is wrong with one field, in words, keyed by the field's name; the browser's own checks decide. */
type FieldErrors = Record<string, string>;

function fieldErrorsOf(form: HTMLFormElement, speakerNames: Map<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement) || element.validity.valid) continue;
    const speaker = speakerNames.get(element.name) ?? "this speaker";
    errors[element.name] =
      `Speaker points for ${speaker} must be a whole number from ${SPEAKER_POINTS.min} to ${SPEAKER_POINTS.max}.`;
  }
  return errors;
}

/**
 * Saves the draft a moment after the judge stops typing. A field the browser finds invalid (a
 * speaker point past 80) is left out of the draft and named at the field; the rest still saves.
 */
function useDraftSaving(speakerNames: Map<string, string>) {
  const fetcher = useFetcher<typeof action>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  useEffect(() => () => clearTimeout(timer.current), []);
  const schedule = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const errors = fieldErrorsOf(form, speakerNames);
      setFieldErrors(errors);
      const data = new FormData(form);
      for (const name of Object.keys(errors)) data.delete(name);
      data.set(BallotField.intent, "save");
      fetcher.submit(data, { method: "post" });
    }, DRAFT_DELAY_MS);
  };
  const state =
    fetcher.state !== "idle"
      ? "Saving draft…"
      : fetcher.data?.error
        ? `Draft not saved: ${fetcher.data.error}`
        : fetcher.data
          ? Object.keys(fieldErrors).length > 0
            ? "Draft saved, except the fields marked below"
            : "Draft saved"
          : null;
  // A click on "Submit ballot" carries everything; a draft save still pending would only be refused.
  const cancel = () => clearTimeout(timer.current);
  return { schedule, cancel, state, fieldErrors };
}

/**
 * One criterion of one argument: a short level (1–4) to pick, and the chosen level's descriptor in
 * words beside it, so a ballot of many arguments stays short (the descriptors are also in the key).
 */
function CriterionScore({
  criterion,
  name,
  label,
  initial,
}: {
  criterion: Criterion;
  name: string;
  label: string;
  initial: number | undefined;
}) {
  const [level, setLevel] = useState(initial === undefined ? "" : String(initial));
  const descriptorId = useId();
  return (
    <label className="criterion">
      <span>
        {criterion.name} <span className="team-detail">({criterion.weight}%)</span>
      </span>
      <select
        name={name}
        defaultValue={level}
        aria-label={label}
        aria-describedby={descriptorId}
        onChange={(event) => setLevel(event.target.value)}
      >
        <option value="">Not scored</option>
        {LEVELS.map((value) => (
          <option key={value} value={value}>
            {value} of {LEVELS.length}
          </option>
        ))}
      </select>
      <span id={descriptorId} className="level-descriptor">
        {level === "" ? "" : criterion.descriptors[Number(level) - 1]}
      </span>
    </label>
  );
}

/** Every criterion's levels in words, once for the whole ballot. */
function RubricKey({ rubric }: { rubric: Rubric }) {
  return (
    <details className="rubric-key">
      <summary>The {rubric.name} rubric: what each level means</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            {LEVELS.map((level) => (
              <th key={level} scope="col">
                {level}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((criterion) => (
            <tr key={criterion.id}>
              <th scope="row">
                {criterion.name} ({criterion.weight}%)
              </th>
              {criterion.descriptors.map((descriptor) => (
                <td key={descriptor}>{descriptor}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Criteria left "Not scored" on the whole ballot. */
function unscoredCount(form: HTMLFormElement): { unscored: number; total: number } {
  const selects = Array.from(form.querySelectorAll<HTMLSelectElement>(".criteria select"));
  return { unscored: selects.filter((select) => select.value === "").length, total: selects.length };
}

export default function JudgeRoom() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const navigation = useNavigation();
  const speakerNames = new Map(
    view.papers.flatMap((paper) =>
      paper.speakers.map((speaker) => [BallotField.points(speaker.sessionId), speaker.name] as const),
    ),
  );
  const draft = useDraftSaving(speakerNames);
  // A refusal of the last submit is about the ballot as it was: once the judge changes it, it goes.
  const [changedSince, setChangedSince] = useState<typeof failed>(undefined);
  const [missing, setMissing] = useState<string | null>(null);
  const submitError = missing ?? (failed && failed !== changedSince ? failed.error : undefined);
  const { content } = view.ballot;
  const submitted = view.ballot.status === "submitted";
  // Following the round (no clock drawn here) tells the control room this judge is online.
  useRound(view.debate.id);

  return (
    <main className="page wide judge-room">
      <p className="eyebrow">
        Judge room · <Link to={`/debates/${view.debate.id}`}>Debate room</Link> · {view.debate.title}
        {view.isChair ? " · You chair this panel: your vote breaks a tie" : ""}
      </p>
      <h1>Score the arguments</h1>
      <p className="motion">{view.debate.motion}</p>
      <p role="status" className="save-state">
        {submitted
          ? "Ballot submitted: it is locked unless the instructor reopens it."
          : (draft.state ?? "Your draft saves as you type.")}
      </p>
      <Form
        method="post"
        onChange={(event) => {
          setChangedSince(failed);
          setMissing(null);
          draft.schedule(event);
        }}
        onInput={draft.schedule}
        onSubmit={(event) => {
          draft.cancel();
          const form = new FormData(event.currentTarget);
          const needs = !form.get(BallotField.winner)
            ? SUBMIT_NEEDS.winner
            : String(form.get(BallotField.reason) ?? "").trim() === ""
              ? SUBMIT_NEEDS.reason
              : null;
          setMissing(needs);
          if (needs) {
            event.preventDefault();
            return;
          }
          const { unscored, total } = unscoredCount(event.currentTarget);
          if (
            unscored > 0 &&
            !window.confirm(
              `${unscored} of ${total} criteria are not scored. A submitted ballot is locked. Submit it anyway?`,
            )
          ) {
            event.preventDefault();
          }
        }}
      >
        <fieldset disabled={submitted} className="ballot">
          <legend className="visually-hidden">Your ballot on the {view.rubric.name} rubric</legend>
          <RubricKey rubric={view.rubric} />
          <div className="judged-papers">
            {view.papers.map((paper) => (
              <JudgedPaperView
                key={paper.team.id}
                paper={paper}
                renderArgument={(argument) => {
                  const key = argument.key;
                  if (key === null) return null;
                  return (
                    <div className="argument-scoring">
                      <fieldset className="criteria">
                        <legend>Scores for “{argument.title || "Argument"}”</legend>
                        {view.rubric.criteria.map((criterion) => (
                          <CriterionScore
                            key={criterion.id}
                            criterion={criterion}
                            name={BallotField.score(key, criterion.id)}
                            label={`${criterion.name}: ${argument.title || "Argument"}`}
                            initial={content.scores[key]?.[criterion.id]}
                          />
                        ))}
                      </fieldset>
                      <label className="stack">
                        Comment on “{argument.title || "Argument"}”
                        <textarea name={BallotField.comment(key)} defaultValue={content.comments[key] ?? ""} rows={2} />
                      </label>
                    </div>
                  );
                }}
              />
            ))}
          </div>

          <section className="overall" aria-labelledby="overall-title">
            <h2 id="overall-title">Overall</h2>
            <fieldset>
              <legend>Winner</legend>
              {view.papers.map((paper) => (
                <label key={paper.team.id} className="radio">
                  <input
                    type="radio"
                    name={BallotField.winner}
                    value={paper.team.id}
                    defaultChecked={content.winnerTeamId === paper.team.id}
                  />
                  {paper.team.name}
                </label>
              ))}
              <label className="radio">
                <input type="radio" name={BallotField.winner} value={ABSTAIN} defaultChecked={content.abstain} />
                Abstain
              </label>
            </fieldset>
            <label className="stack">
              Reason for decision
              <textarea name={BallotField.reason} defaultValue={content.reason} rows={4} />
            </label>
            {view.papers.map((paper) => (
              <div key={paper.team.id} className="team-overall">
                <label className="stack">
                  Feedback for {paper.team.name}
                  <textarea
                    name={BallotField.feedback(paper.team.id)}
                    defaultValue={content.feedback[paper.team.id] ?? ""}
                    rows={3}
                  />
                </label>
                {paper.speakers.length > 0 ? (
                  <fieldset className="speaker-points">
                    <legend>
                      Speaker points, {paper.team.name} (optional, {SPEAKER_POINTS.min}–{SPEAKER_POINTS.max})
                    </legend>
                    {paper.speakers.map((speaker) => (
                      <div key={speaker.sessionId}>
                        <label className="criterion">
                          <span>{speaker.name}</span>
                          <input
                            type="number"
                            name={BallotField.points(speaker.sessionId)}
                            min={SPEAKER_POINTS.min}
                            max={SPEAKER_POINTS.max}
                            step={1}
                            defaultValue={content.speakerPoints[speaker.sessionId] ?? ""}
                            aria-invalid={draft.fieldErrors[BallotField.points(speaker.sessionId)] ? true : undefined}
                            aria-describedby={`points-error-${speaker.sessionId}`}
                          />
                        </label>
                        <p id={`points-error-${speaker.sessionId}`} className="field-error" aria-live="polite">
                          {draft.fieldErrors[BallotField.points(speaker.sessionId)] ?? ""}
                        </p>
                      </div>
                    ))}
                  </fieldset>
                ) : null}
              </div>
            ))}
            <FormError error={submitError} />
            <button type="submit" name={BallotField.intent} value="submit" disabled={navigation.state !== "idle"}>
              Submit ballot
            </button>
          </section>
        </fieldset>
      </Form>
      {submitted ? (
        <p>
          <a href={`/debates/${view.debate.id}/results`}>See the panel's ballots and the results</a>
        </p>
      ) : null}
    </main>
  );
}
