import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { orThrow } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Paper snapshots · Caucus" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  return orThrow(await context.services.snapshotsView(context.session, params.debateId ?? "")).view;
}

export default function Snapshots() {
  const { debate, snapshots } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <p className="eyebrow">{debate.title}</p>
      <h1>Paper snapshots</h1>
      <p className="lede">Each paper as it stood when a phase locked it. Snapshots never change.</p>
      {snapshots.length === 0 ? (
        <p>No paper has been locked yet: snapshots appear when a phase ends drafting.</p>
      ) : (
        <ul className="snapshot-list">
          {snapshots.map((snapshot) => (
            <li key={snapshot.id} style={{ borderColor: snapshot.team.color }}>
              <Link to={snapshot.id}>{snapshot.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
