import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

/** The audience link: the debate as the audience sees it, or its vote page. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const result = await context.services.watch(context.session, params.audienceKey ?? "");
  if (!result.ok) throw new Response(result.reason, { status: result.status });
  // `?to=vote`: the projector's "Scan to vote" code opens the vote page straight away.
  const toVote = new URL(request.url).searchParams.get("to") === "vote";
  return redirect(
    `/debates/${result.debateId}${toVote ? "/vote" : ""}`,
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : {},
  );
}
