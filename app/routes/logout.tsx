import { type ActionFunctionArgs, redirect } from "@remix-run/node";

export async function loader() {
  throw new Response("Log out with the Log out button.", { status: 405 });
}

export async function action({ context }: ActionFunctionArgs) {
  const { setCookie } = await context.services.logOut(context.session);
  return redirect("/", { headers: { "Set-Cookie": setCookie } });
}
