import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormError } from "../components/FormError";
import { formFields, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Log in · Caucus" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.session?.role === "instructor") throw redirect("/debates");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = await formFields(request);
  const result = await context.services.logIn(fields, context.client);
  if (!result.ok) return refusal(result, { email: fields.email ?? "" });
  return redirect("/debates", { headers: { "Set-Cookie": result.setCookie } });
}

export default function LogIn() {
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>Log in</h1>
      <Form method="post" className="stack">
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" defaultValue={failed?.email} />
        </label>
        <label>
          Password
          <input name="password" type="password" required autoComplete="current-password" />
        </label>
        <FormError error={failed?.error} />
        <button type="submit" disabled={submitting}>
          Log in
        </button>
      </Form>
      <p>
        New here? <Link to="/signup">Create an instructor account</Link>
      </p>
    </main>
  );
}
