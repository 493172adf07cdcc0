import { type ActionFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Create a debate · Caucus" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { debateId, setCookie } = await context.services.startFromEssay(String(form.get("name") ?? ""));
  return redirect(`/debates/${debateId}/control`, { headers: { "Set-Cookie": setCookie } });
}

export default function Create() {
  const submitting = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>Create a debate</h1>
      <Form method="post" className="stack">
        <label>
          Your name
          <input name="name" maxLength={40} autoComplete="name" placeholder="Ms Okafor" />
        </label>
        <section className="pack" aria-labelledby="essay-pack">
          <h2 id="essay-pack">After Georgia: realpolitik or democracy promotion?</h2>
          <p>
            A ready debate on the 2008 Russia–Georgia war: the essay as the reading, two sides (Realpolitik and
            Democracy promotion), and a scaffolded position paper for each team.
          </p>
          <button type="submit" disabled={submitting}>
            Start from the essay
          </button>
        </section>
      </Form>
    </main>
  );
}
