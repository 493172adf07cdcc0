import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy } from "react";
import { ClientOnly } from "../lib/client-only";
import { orThrow } from "../lib/outcome";

const SnapshotReader = lazy(() =>
  import("../components/SnapshotReader").then((module) => ({ default: module.SnapshotReader })),
);

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `${view.snapshot.name} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  return orThrow(await context.services.snapshotView(context.session, params.debateId ?? "", params.snapshotId ?? ""))
    .view;
}

export default function SnapshotPage() {
  const view = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}/snapshots`}>Paper snapshots</Link> · {view.debate.title}
      </p>
      <h1>{view.snapshot.name}</h1>
      <ClientOnly fallback={<p>Opening the snapshot…</p>}>
        <SnapshotReader snapshot={view.snapshot} stateBase64={view.stateBase64} />
      </ClientOnly>
    </main>
  );
}
