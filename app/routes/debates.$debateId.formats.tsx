import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CUSTOM_FORMAT_PREFIX, type Format } from "../../shared/rounds/formats";
import { FormatEditor } from "../components/FormatEditor";
import { FormError } from "../components/FormError";
import { orThrow } from "../lib/outcome";
import { formatDuration } from "../lib/round-view";

export const meta: MetaFunction = () => [{ title: "Formats · Caucus" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.formatsView(context.session, params.debateId ?? "")).view;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * A refused format is answered 200 with the reason: the form shows it in an alert, and the browser
 * does not also log a failed request to the console as it does for every 4xx fetch.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const debateId = params.debateId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  let formatId = String(form.get("formatId") ?? "");
  if (intent === "save" || intent === "save-and-use") {
    const saved = await context.services.saveCustomFormat(
      context.session,
      debateId,
      parseJson(String(form.get("format"))),
    );
    if (!saved.ok) return { error: saved.reason };
    formatId = saved.formatId;
    if (intent === "save") return redirect(`/debates/${debateId}/formats?edit=${formatId}`);
  }
  const chosen = await context.services.chooseFormat(context.session, debateId, formatId);
  // Saved but not put in use (the round is under way): the editor goes on with the saved copy, so
  // saving again updates it instead of making another.
  if (!chosen.ok && intent === "save-and-use")
    return redirect(`/debates/${debateId}/formats?edit=${formatId}&unused=1`);
  if (!chosen.ok) return { error: chosen.reason };
  return redirect(`/debates/${debateId}/control`);
}

const totalMs = (format: Format) => format.phases.reduce((sum, phase) => sum + phase.durationMs, 0);

function FormatCard({ format, current, canChoose }: { format: Format; current: boolean; canChoose: boolean }) {
  return (
    <li className={`format-card${current ? " current" : ""}`}>
      <h3>
        {format.name}
        {current ? <span className="badge">In use</span> : null}
      </h3>
      <p className="format-detail">
        {format.phases.length} phases · {formatDuration(totalMs(format))}
        {format.prepTimeMs > 0 ? ` · ${formatDuration(format.prepTimeMs)} prep per team` : ""}
        {format.audienceVote ? " · audience vote" : ""}
      </p>
      <div className="buttons">
        {current ? null : (
          <Form method="post">
            <input type="hidden" name="formatId" value={format.id} />
            <button type="submit" name="intent" value="choose" disabled={!canChoose} aria-label={`Use ${format.name}`}>
              Use
            </button>
          </Form>
        )}
        {format.id.startsWith(CUSTOM_FORMAT_PREFIX) ? (
          <Link className="button-link" to={`?edit=${format.id}`} aria-label={`Edit ${format.name}`}>
            Edit
          </Link>
        ) : (
          <Link className="button-link" to={`?edit=${format.id}`} aria-label={`Copy and edit ${format.name}`}>
            Copy and edit
          </Link>
        )}
      </div>
    </li>
  );
}

export default function Formats() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const all = [...view.builtIn, ...view.custom];
  const editing = all.find((format) => format.id === searchParams.get("edit"));
  const canChoose = view.roundState === "idle" || view.roundState === "finished";
  const sideNames: [string, string] = [view.teams[0]?.name ?? "Side A", view.teams[1]?.name ?? "Side B"];
  return (
    <main className="page wide">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}/control`}>Control room</Link> · {view.debate.title}
      </p>
      <h1>Formats</h1>
      {canChoose ? (
        <p className="lede">Choosing a format starts the round from its first phase.</p>
      ) : (
        <p className="lede">The round is under way: reset or finish it before you change the format.</p>
      )}
      {editing && searchParams.get("unused") === "1" ? (
        <p role="status" className="notice">
          Saved “{editing.name}” in Your formats. It is not in use yet: the round is under way. Use it from Your formats
          once the round is reset or finished.
        </p>
      ) : null}
      <FormError error={failed?.error} />
      {editing ? <FormatEditor key={editing.id} base={editing} sideNames={sideNames} /> : null}
      <section aria-labelledby="built-in-heading">
        <h2 id="built-in-heading">Built-in formats</h2>
        <ul className="format-list">
          {view.builtIn.map((format) => (
            <FormatCard
              key={format.id}
              format={format}
              current={format.id === view.currentFormatId}
              canChoose={canChoose}
            />
          ))}
        </ul>
      </section>
      {view.custom.length > 0 ? (
        <section aria-labelledby="custom-heading">
          <h2 id="custom-heading">Your formats</h2>
          <ul className="format-list">
            {view.custom.map((format) => (
              <FormatCard
                key={format.id}
                format={format}
                current={format.id === view.currentFormatId}
                canChoose={canChoose}
              />
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
