import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ProjectorView } from "../components/ProjectorView";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: room }) => [
  { title: room ? `Projector · ${room.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const room = await context.services.roomView(context.session, params.debateId ?? "");
  if (!room) throw new Response("You are not part of this debate.", { status: 403 });
  return { debate: room.debate, teams: room.teams };
}

export default function Projector() {
  const { debate, teams } = useLoaderData<typeof loader>();
  const round = useRound(debate.id);
  return <ProjectorView round={round} teams={teams} title={debate.title} />;
}
