import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "../components/FormError";
import { formFields, orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Audience vote · ${view.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  return orThrow(await context.services.audienceVoteView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await context.services.castAudienceVote(
    context.session,
    params.debateId ?? "",
    await formFields(request),
  );
  if (!result.ok) return refusal(result);
  return { error: undefined };
}

/** Oxford style: the audience votes on the motion before the round and again once it is finished. */
export default function AudienceVote() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const voted = view.teams.find((team) => team.id === view.myVote);
  return (
    <main className="page narrow">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}`}>{view.debate.title}</Link>
      </p>
      <h1>{view.moment === "before" ? "Vote before the round" : "Vote after the round"}</h1>
      <p className="motion">{view.debate.motion}</p>
      <p role="status">
        {voted ? `Your vote: ${voted.name}. You can change it until the vote closes.` : "You have not voted yet."}
      </p>
      <Form method="post" className="team-choices">
        {view.teams.map((team) => (
          <button
            key={team.id}
            type="submit"
            name="teamId"
            value={team.id}
            className="team-choice"
            style={{ borderColor: team.color }}
          >
            <span className="team-choice-name">
              <span className="side-swatch" style={{ background: team.color }} aria-hidden="true" />
              Vote {team.name}
            </span>
            <span className="team-choice-detail">{team.description}</span>
          </button>
        ))}
      </Form>
      <FormError error={failed?.error} />
    </main>
  );
}
