import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { TeamView } from "../../shared/views";
import { PaperEditor } from "../components/PaperEditor";
import { ReadingPane } from "../components/ReadingPane";
import { RoundTimer } from "../components/RoundTimer";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: room }) => [
  { title: room ? `${room.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const room = await context.services.roomView(context.session, params.debateId ?? "");
  if (!room) throw new Response("You are not part of this debate.", { status: 403 });
  return room;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const form = await request.formData();
  const result = await context.services.chooseTeam(context.session, String(form.get("teamId") ?? ""));
  if (!result.ok) return data({ error: result.reason }, { status: 400 });
  return redirect(`/debates/${params.debateId}`);
}

function TeamPicker({ teams }: { teams: TeamView[] }) {
  const failed = useActionData<typeof action>();
  return (
    <section className="team-picker" aria-labelledby="pick-team">
      <h2 id="pick-team">Pick your team</h2>
      <Form method="post" className="team-choices">
        {teams.map((team) => (
          <button
            key={team.id}
            type="submit"
            name="teamId"
            value={team.id}
            className="team-choice"
            style={{ borderColor: team.color }}
          >
            <span className="team-choice-name">Join {team.name}</span>
            <span className="team-choice-detail">{team.description}</span>
          </button>
        ))}
      </Form>
      {failed?.error ? (
        <p role="alert" className="error">
          {failed.error}
        </p>
      ) : null}
    </section>
  );
}

export default function DebateRoom() {
  const room = useLoaderData<typeof loader>();
  const round = useRound(room.debate.id);
  const [searchParams] = useSearchParams();
  const needsTeam = room.me.role === "student" && !room.me.teamId;
  const selected = room.papers.find((paper) => paper.team.id === searchParams.get("paper")) ?? room.papers[0];

  return (
    <div className="room">
      <header className="room-header">
        <div className="room-title">
          <p className="motion">{room.debate.motion}</p>
          <p className="me">
            Signed in as <strong>{room.me.displayName}</strong>
          </p>
        </div>
        <RoundTimer round={round} teams={room.teams} />
      </header>
      {needsTeam ? (
        <main className="page narrow">
          <TeamPicker teams={room.teams} />
        </main>
      ) : (
        <main className="room-body">
          <ReadingPane reading={room.reading} />
          <div className="paper-column">
            {room.papers.length > 1 ? (
              <nav aria-label="Papers" className="paper-tabs">
                {room.papers.map((paper) => (
                  <a
                    key={paper.team.id}
                    href={`?paper=${paper.team.id}`}
                    aria-current={paper === selected ? "page" : undefined}
                  >
                    {paper.team.name}
                  </a>
                ))}
              </nav>
            ) : null}
            {selected ? (
              <PaperEditor
                key={selected.team.id}
                paper={selected}
                me={{ name: room.me.displayName, color: room.me.color }}
              />
            ) : (
              <p>There is no paper for you to open in this debate.</p>
            )}
          </div>
        </main>
      )}
    </div>
  );
}
