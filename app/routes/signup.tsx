import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { MIN_PASSWORD_LENGTH } from "../../shared/classroom/choices";
import { FormError } from "../components/FormError";
import { formFields, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Sign up · Caucus" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.session?.role === "instructor") throw redirect("/debates");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = await formFields(request);
  const result = await context.services.signUp(fields, context.client);
  if (!result.ok) return refusal(result, { name: fields.name ?? "", email: fields.email ?? "" });
  return redirect("/debates", { headers: { "Set-Cookie": result.setCookie } });
}

export default function SignUp() {
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>Create your instructor account</h1>
      <p className="lede">Instructors have accounts; students never need one.</p>
      <Form method="post" className="stack">
        <label>
          Name
          <input name="name" required maxLength={80} autoComplete="name" defaultValue={failed?.name} />
        </label>
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" defaultValue={failed?.email} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            aria-describedby="password-hint"
          />
        </label>
        <p id="password-hint" className="hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
        <FormError error={failed?.error} />
        <button type="submit" disabled={submitting}>
          Sign up
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
