import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { MAX_SIDES } from "../../shared/classroom/choices";
import { AccountBar } from "../components/AccountBar";
import { FormError } from "../components/FormError";
import { orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Create a custom debate · Caucus" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.dashboard(context.session)).view;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const names = form.getAll("sideName").map(String);
  const descriptions = form.getAll("sideDescription").map(String);
  const result = await context.services.createCustomDebate(context.session, {
    title: text("title"),
    motion: text("motion"),
    sides: names.map((name, index) => ({ name, description: descriptions[index] ?? "" })),
    readingTitle: text("readingTitle"),
    reading: text("reading"),
    formatId: text("formatId"),
  });
  if (!result.ok) return refusal(result);
  return redirect(`/debates/${result.debateId}/control`);
}

export default function NewDebate() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  // Stable keys, so removing a side in the middle keeps what was typed in the others.
  const [sides, setSides] = useState([0, 1]);
  const nextKey = useRef(2);
  return (
    <>
      <AccountBar name={view.account.name} />
      <main className="page narrow">
        <h1>Create a custom debate</h1>
        <Form method="post" className="stack">
          <label>
            Title
            <input name="title" required maxLength={120} />
          </label>
          <label>
            Motion
            <textarea name="motion" required maxLength={300} rows={2} />
          </label>
          {sides.map((key, index) => {
            const letter = String.fromCharCode(65 + index);
            return (
              <fieldset key={key} className="side-fields">
                <legend>Side {letter}</legend>
                <label>
                  Side {letter} name
                  <input name="sideName" required maxLength={60} />
                </label>
                <label>
                  Side {letter} description
                  <input name="sideDescription" maxLength={300} />
                </label>
                {sides.length > 2 ? (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setSides(sides.filter((other) => other !== key))}
                  >
                    Remove side {letter}
                  </button>
                ) : null}
              </fieldset>
            );
          })}
          {sides.length < MAX_SIDES ? (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setSides([...sides, nextKey.current]);
                nextKey.current += 1;
              }}
            >
              Add a side
            </button>
          ) : null}
          <label>
            Reading title
            <input name="readingTitle" maxLength={120} />
          </label>
          <label>
            Reading (optional: plain text or Markdown, one blank line between paragraphs)
            <textarea name="reading" rows={8} />
          </label>
          <label>
            Format
            <select name="formatId" defaultValue={view.formats[0]?.id}>
              {view.formats.map((format) => (
                <option key={format.id} value={format.id}>
                  {format.name}
                </option>
              ))}
            </select>
          </label>
          {sides.length > 2 ? (
            <p className="hint">
              Every side drafts its own paper and is judged. The timed speeches and prep time of a format are for two
              sides: the first two sides speak in them; give the others the floor between phases.
            </p>
          ) : null}
          <FormError error={failed?.error} />
          <button type="submit" disabled={submitting}>
            Create the debate
          </button>
        </Form>
      </main>
    </>
  );
}
