import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MIN_PASSWORD_LENGTH } from "../../shared/classroom/choices";
import { AccountBar } from "../components/AccountBar";
import { FormError } from "../components/FormError";
import { formFields, orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Account · Caucus" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.dashboard(context.session)).view.account;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await context.services.changePassword(context.session, await formFields(request));
  if (!result.ok) return refusal(result);
  return { error: undefined, changed: true };
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  return (
    <>
      <AccountBar name={account.name} />
      <main className="page narrow">
        <h1>Account</h1>
        <p>
          {account.name} · {account.email}
        </p>
        <h2>Change password</h2>
        <Form method="post" className="stack">
          <label>
            Current password
            <input name="currentPassword" type="password" required autoComplete="current-password" />
          </label>
          <label>
            New password
            <input
              name="newPassword"
              type="password"
              required
              minLength={MIN_PASSWORD_LENGTH}
              autoComplete="new-password"
            />
          </label>
          <FormError error={result?.error} />
          {result && "changed" in result ? (
            <p role="status">Password changed. Your other devices are logged out.</p>
          ) : null}
          <button type="submit" disabled={submitting}>
            Change password
          </button>
        </Form>
      </main>
    </>
  );
}
