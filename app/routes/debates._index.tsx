import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountBar } from "../components/AccountBar";
import { FormError } from "../components/FormError";
import { orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Your debates · Caucus" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.dashboard(context.session)).view;
}

/** "Start from the essay": one click, straight to the control room with the codes. */
export async function action({ context }: ActionFunctionArgs) {
  const result = await context.services.startFromEssay(context.session);
  if (!result.ok) return refusal(result);
  return redirect(`/debates/${result.debateId}/control`);
}

export default function Dashboard() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const active = view.debates.filter((debate) => !debate.archived);
  const archived = view.debates.filter((debate) => debate.archived);
  return (
    <>
      <AccountBar name={view.account.name} />
      <main className="page narrow">
        <h1>Your debates</h1>
        <section className="pack" aria-labelledby="essay-pack">
          <h2 id="essay-pack">{view.essay.title}</h2>
          <p>
            A ready debate on the 2008 Russia–Georgia war: the essay as the reading, two sides (Realpolitik and
            Democracy promotion), and a scaffolded position paper for each team.
          </p>
          {view.essay.copies > 0 ? (
            <p className="hint">
              You already have {view.essay.copies === 1 ? "one debate" : `${view.essay.copies} debates`} from this essay
              (below). Another copy starts with new codes, no students and empty papers; it is numbered so you can tell
              them apart, and you can rename any debate in its control room.
            </p>
          ) : null}
          <Form method="post">
            <button type="submit" disabled={submitting}>
              Start from the essay
            </button>
          </Form>
          <FormError error={failed?.error} />
        </section>
        <p>
          <Link to="/debates/new" className="button-link">
            Create a custom debate
          </Link>
        </p>
        <section aria-labelledby="active-heading">
          <h2 id="active-heading">Open debates</h2>
          {active.length === 0 ? <p>No open debates yet.</p> : null}
          <ul className="debate-list">
            {active.map((debate) => (
              <li key={debate.id}>
                <Link to={`/debates/${debate.id}/control`}>{debate.title}</Link>
                <span className="team-detail">{debate.motion}</span>
                <span className="team-detail">
                  Student code {debate.studentCode} · {debate.studentCount}{" "}
                  {debate.studentCount === 1 ? "student" : "students"} · created{" "}
                  {new Date(debate.createdAt).toISOString().slice(0, 10)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        {archived.length > 0 ? (
          <section aria-labelledby="archived-heading">
            <h2 id="archived-heading">Archived</h2>
            <ul className="debate-list">
              {archived.map((debate) => (
                <li key={debate.id}>
                  <Link to={`/debates/${debate.id}/control`}>{debate.title}</Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </main>
    </>
  );
}
