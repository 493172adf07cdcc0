import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ProjectorView } from "../components/ProjectorView";
import { orThrow } from "../lib/outcome";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: room }) => [
  { title: room ? `Projector · ${room.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const { view } = orThrow(await context.services.roomView(context.session, params.debateId ?? ""));
  return { debate: view.debate, teams: view.teams };
}

export default function Projector() {
  const { debate, teams } = useLoaderData<typeof loader>();
  const round = useRound(debate.id);
  return <ProjectorView round={round} teams={teams} title={debate.title} />;
}
