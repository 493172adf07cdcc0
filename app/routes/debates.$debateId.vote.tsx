import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { openAudienceVote } from "../../shared/judging/audience-vote";
import { FormError } from "../components/FormError";
import { formFields, orThrow, refusal } from "../lib/outcome";
import { useRound } from "../lib/round-client";
import { toJoin } from "../lib/session-gone.server";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Audience vote · ${view.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (!context.session) throw toJoin(request);
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

const HEADINGS = {
  before: "Vote before the round",
  after: "Vote after the round",
  closed: "The vote is closed for now",
} as const;

/** The page follows the round live: when the format's vote phases open or close a vote, it reloads. */
function useVoteFollowsTheRound(debateId: string, shown: string | null) {
  const round = useRound(debateId);
  const revalidator = useRevalidator();
  const snapshot = round.snapshot;
  const live = snapshot ? openAudienceVote(snapshot.format, snapshot.round) : shown;
  useEffect(() => {
    if (live !== shown && revalidator.state === "idle") revalidator.revalidate();
  }, [live, shown, revalidator]);
}

/** Oxford style: the audience votes on the motion before the debate and again after it, in the format's vote phases. */
export default function AudienceVote() {
  const view = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const voted = view.teams.find((team) => team.id === view.myVote);
  useVoteFollowsTheRound(view.debate.id, view.moment);
  return (
    <main className="page narrow">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}`}>{view.debate.title}</Link>
      </p>
      <h1>{HEADINGS[view.moment ?? "closed"]}</h1>
      <p className="motion">{view.debate.motion}</p>
      <p role="status">
        {!view.moment
          ? "Your vote before the round is counted. The vote after the round opens when the debate reaches it; this page will show it."
          : voted
            ? `Your vote: ${voted.name}. You can change it until the vote closes.`
            : "You have not voted yet."}
      </p>
      {view.moment ? (
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
      ) : null}
      <FormError error={failed?.error} />
    </main>
  );
}
