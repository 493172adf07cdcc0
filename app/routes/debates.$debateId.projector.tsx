import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ProjectorView } from "../components/ProjectorView";
import { joiningInfo } from "../lib/join-qr.server";
import { orThrow } from "../lib/outcome";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: room }) => [
  { title: room ? `Projector · ${room.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const debateId = params.debateId ?? "";
  const { view } = orThrow(await context.services.roomView(context.session, debateId));
  // The join code is the instructor's to show: an audience screen opened from the audience link gets none.
  const control =
    context.session.role === "instructor" ? await context.services.controlView(context.session, debateId) : null;
  const joining =
    control?.ok && !control.view.debate.archived
      ? await joiningInfo(new URL(request.url).origin, control.view.studentCode, control.view.audienceKey)
      : null;
  return { debate: view.debate, teams: view.teams, joining };
}

export default function Projector() {
  const { debate, teams, joining } = useLoaderData<typeof loader>();
  const round = useRound(debate.id);
  return <ProjectorView round={round} teams={teams} title={debate.title} joining={joining} />;
}
