import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { RUBRIC_EDITOR_ROWS } from "../../shared/judging/fields";
import { LEVELS } from "../../shared/judging/rubric-levels";
import { FormError } from "../components/FormError";
import "../components/judging/judging.css";
import { formFields, orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Rubric · ${view.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.rubricEditorView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const debateId = params.debateId ?? "";
  const result = await context.services.saveCustomRubric(context.session, debateId, await formFields(request));
  if (!result.ok) return refusal(result);
  return redirect(`/debates/${debateId}/results`);
}

type RubricErrors = Record<string, string>;

/** The weights of the rows in use (a name given), and what is missing, keyed by field name. */
function checkRubric(form: HTMLFormElement): { total: number; errors: RubricErrors } {
  const data = new FormData(form);
  const errors: RubricErrors = {};
  let total = 0;
  for (let row = 0; row < RUBRIC_EDITOR_ROWS; row++) {
    if (String(data.get(`criterion-${row}-name`) ?? "").trim() === "") continue;
    const weight = Number(data.get(`criterion-${row}-weight`) || Number.NaN);
    if (Number.isFinite(weight) && weight > 0) total += weight;
    else errors[`criterion-${row}-weight`] = `Give criterion ${row + 1} a weight.`;
    for (const level of LEVELS) {
      if (String(data.get(`criterion-${row}-level-${level}`) ?? "").trim() === "") {
        errors[`criterion-${row}-level-${level}`] = `Describe level ${level} of criterion ${row + 1}.`;
      }
    }
  }
  return { total: Math.round(total * 100) / 100, errors };
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return (
    <span id={id} className="field-error">
      {error ?? ""}
    </span>
  );
}

/** The instructor's own rubric: up to eight criteria, weights adding up to 100, four level descriptors each. */
export default function RubricEditor() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const rows = Array.from({ length: RUBRIC_EDITOR_ROWS }, (_, row) => view.rubric.criteria[row]);
  const [total, setTotal] = useState(() => view.rubric.criteria.reduce((sum, criterion) => sum + criterion.weight, 0));
  const [errors, setErrors] = useState<RubricErrors>({});
  const [tried, setTried] = useState(false);
  const recheck = (form: HTMLFormElement) => {
    const checked = checkRubric(form);
    setTotal(checked.total);
    if (tried) setErrors(checked.errors);
    return checked;
  };
  const fieldProps = (name: string) => ({
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": `${name}-error`,
  });
  return (
    <main className="page wide">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}/results`}>Results</Link> · {view.debate.title}
      </p>
      <h1>Custom rubric</h1>
      <p className="lede">
        Name each criterion, give it a weight (the weights add up to 100) and describe its four levels, lowest first.
        Leave a row's name empty to drop it. Saving makes this the debate's rubric.
      </p>
      <Form
        method="post"
        className="rubric-editor"
        onInput={(event) => recheck(event.currentTarget)}
        onSubmit={(event) => {
          setTried(true);
          const checked = checkRubric(event.currentTarget);
          setErrors(checked.errors);
          setTotal(checked.total);
          if (Object.keys(checked.errors).length > 0 || checked.total !== 100) {
            event.preventDefault();
            const first = Object.keys(checked.errors)[0];
            const field = first ? event.currentTarget.elements.namedItem(first) : null;
            if (field instanceof HTMLInputElement) field.focus();
          }
        }}
      >
        <label className="stack">
          Rubric name
          <input name="name" defaultValue={view.rubric.name} required maxLength={80} />
        </label>
        {rows.map((criterion, row) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the editor's rows are fixed slots, never reordered
          <fieldset key={row} className="rubric-row">
            <legend>Criterion {row + 1}</legend>
            <label className="stack">
              Name of criterion {row + 1}
              <input name={`criterion-${row}-name`} defaultValue={criterion?.name ?? ""} maxLength={60} />
            </label>
            <label className="stack">
              Weight of criterion {row + 1} (%)
              <input
                {...fieldProps(`criterion-${row}-weight`)}
                type="number"
                min={1}
                max={100}
                step="any"
                defaultValue={criterion?.weight ?? ""}
              />
              <FieldError id={`criterion-${row}-weight-error`} error={errors[`criterion-${row}-weight`]} />
            </label>
            {LEVELS.map((level) => (
              <label key={level} className="stack">
                Criterion {row + 1}, level {level}
                <input
                  {...fieldProps(`criterion-${row}-level-${level}`)}
                  defaultValue={criterion?.descriptors[level - 1] ?? ""}
                  maxLength={200}
                />
                <FieldError
                  id={`criterion-${row}-level-${level}-error`}
                  error={errors[`criterion-${row}-level-${level}`]}
                />
              </label>
            ))}
          </fieldset>
        ))}
        <div className="rubric-total">
          <output aria-live="polite" className={total === 100 ? "total-ok" : "total-off"}>
            Weights add up to {total} of 100
            {total === 100 ? "" : tried ? ": make them add up to 100 to save" : ""}
          </output>
          <FormError error={failed?.error} />
          <button type="submit">Save rubric</button>
        </div>
      </Form>
    </main>
  );
}
