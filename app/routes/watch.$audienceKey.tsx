import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

/** The audience link: a read-only view for the classroom projector. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await context.services.watch(context.session, params.audienceKey ?? "");
  if (!result.ok) throw new Response(result.reason, { status: result.status });
  return redirect(
    `/debates/${result.debateId}`,
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : {},
  );
}
