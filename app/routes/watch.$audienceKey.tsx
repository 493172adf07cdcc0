import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { SessionInfo } from "../../shared/session";

export const meta: MetaFunction = () => [{ title: "Watch a debate · Caucus" }];

/** What a planted link may do for a browser that is already someone: ask, never switch. */
async function watch(context: LoaderFunctionArgs["context"], request: Request, audienceKey: string, replace: boolean) {
  const result = await context.services.watch(context.session, audienceKey, replace, context.client);
  if (!result.ok) throw new Response(result.reason, { status: result.status });
  if (result.confirm) return data(result.confirm, { headers: { "Cache-Control": "no-store" } });
  // `?to=vote`: the projector's "Scan to vote" code opens the vote page straight away.
  const toVote = new URL(request.url).searchParams.get("to") === "vote";
  throw redirect(
    `/debates/${result.debateId}${toVote ? "/vote" : ""}`,
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : {},
  );
}

/** The audience link: a read-only view for the classroom projector. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  return watch(context, request, params.audienceKey ?? "", false);
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  return watch(context, request, params.audienceKey ?? "", true);
}

const ROLE_NAMES: Record<SessionInfo["role"], string> = {
  instructor: "the instructor",
  student: "a student",
  judge: "a judge",
  audience: "the audience",
};

export default function Watch() {
  const confirm = useLoaderData<typeof loader>();
  return (
    <main className="page narrow">
      <h1>Watch “{confirm.debateTitle}”?</h1>
      <p>
        This browser is in a debate as {ROLE_NAMES[confirm.currentRole]}. Watching as the audience ends that session on
        this browser: you would need the join code to come back.
      </p>
      <Form method="post" className="stack">
        <button type="submit">Watch as the audience</button>
      </Form>
      {confirm.currentDebateId ? (
        <p>
          <Link to={`/debates/${confirm.currentDebateId}`}>Keep my session and go back</Link>
        </p>
      ) : null}
    </main>
  );
}
