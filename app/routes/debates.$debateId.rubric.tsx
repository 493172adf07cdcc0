import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RUBRIC_EDITOR_ROWS } from "../../shared/judging";
import { LEVELS } from "../../shared/rubrics";
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

/** The instructor's own rubric: up to eight criteria, weights adding up to 100, four level descriptors each. */
export default function RubricEditor() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const rows = Array.from({ length: RUBRIC_EDITOR_ROWS }, (_, row) => view.rubric.criteria[row]);
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
      <Form method="post" className="rubric-editor">
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
                name={`criterion-${row}-weight`}
                type="number"
                min={1}
                max={100}
                step="any"
                defaultValue={criterion?.weight ?? ""}
              />
            </label>
            {LEVELS.map((level) => (
              <label key={level} className="stack">
                Criterion {row + 1}, level {level}
                <input
                  name={`criterion-${row}-level-${level}`}
                  defaultValue={criterion?.descriptors[level - 1] ?? ""}
                  maxLength={200}
                />
              </label>
            ))}
          </fieldset>
        ))}
        <FormError error={failed?.error} />
        <button type="submit">Save rubric</button>
      </Form>
    </main>
  );
}
