import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

/** The private instructor link shown in the control room: opens it from another browser. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await context.services.openControlRoomWithKey(params.hostKey ?? "");
  if (!result.ok) throw new Response(result.reason, { status: 404 });
  return redirect(`/debates/${result.debateId}/control`, { headers: { "Set-Cookie": result.setCookie } });
}
