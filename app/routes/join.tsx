import { type ActionFunctionArgs, data, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Join a debate · Caucus" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const code = String(form.get("code") ?? "");
  const name = String(form.get("name") ?? "");
  const result = await context.services.join(code, name);
  if (!result.ok) return data({ error: result.reason, code, name }, { status: 400 });
  return redirect(`/debates/${result.debateId}`, { headers: { "Set-Cookie": result.setCookie } });
}

export default function Join() {
  const failed = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>Join a debate</h1>
      <Form method="post" className="stack">
        <label>
          Join code
          <input
            name="code"
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            defaultValue={failed?.code}
            className="code-input"
          />
        </label>
        <label>
          Your name
          <input name="name" required maxLength={40} autoComplete="nickname" defaultValue={failed?.name} />
        </label>
        {failed?.error ? (
          <p role="alert" className="error">
            {failed.error}
          </p>
        ) : null}
        <button type="submit" disabled={submitting}>
          Join
        </button>
      </Form>
    </main>
  );
}
