import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MAX_DISPLAY_NAME_LENGTH } from "../../shared/classroom/choices";
import { FormError } from "../components/FormError";
import { formFields, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Join a debate · Caucus" }];

/** `/join?code=ABC234` (the link shown under the code) fills the code in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  return { code: search.get("code")?.slice(0, 16) ?? "", ended: search.get("ended") === "1" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = await formFields(request);
  const result = await context.services.join(context.session, fields, context.client);
  if (!result.ok) return refusal(result, { code: fields.code ?? "", name: fields.name ?? "" });
  // Judges come to score: their ballot is the page they need.
  return redirect(
    result.role === "judge" ? `/debates/${result.debateId}/judge` : `/debates/${result.debateId}`,
    result.setCookie ? { headers: { "Set-Cookie": result.setCookie } } : {},
  );
}

export default function Join() {
  const { code, ended } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>Join a debate</h1>
      {ended ? (
        <section className="notice" aria-labelledby="ended-heading">
          <h2 id="ended-heading">You are no longer in that debate</h2>
          <p>
            Your instructor removed you from it, or deleted the debate. If you should still be taking part, ask your
            instructor for the join code and join again below.
          </p>
        </section>
      ) : null}
      <Form method="post" className="stack">
        <label>
          Join code
          <input
            name="code"
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            defaultValue={failed?.code ?? code}
            className="code-input"
          />
        </label>
        <label>
          Your name
          <input
            name="name"
            required
            maxLength={MAX_DISPLAY_NAME_LENGTH}
            autoComplete="nickname"
            defaultValue={failed?.name}
          />
        </label>
        <FormError error={failed?.error} />
        <button type="submit" disabled={submitting}>
          Join
        </button>
      </Form>
    </main>
  );
}
