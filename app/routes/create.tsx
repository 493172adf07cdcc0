import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

/** "Create a debate": instructors go to their debates, everyone else signs up first. */
export async function loader({ context }: LoaderFunctionArgs) {
  throw redirect(context.session?.role === "instructor" ? "/debates" : "/signup");
}
