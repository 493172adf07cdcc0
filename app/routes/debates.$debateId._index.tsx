import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { lazy, useEffect, useRef, useState } from "react";
import type { TeamView } from "../../shared/classroom/views";
import { FormError } from "../components/FormError";
import { ReadingPane } from "../components/ReadingPane";
import { RoundTimer } from "../components/RoundTimer";
import { ClientOnly } from "../lib/client-only";
import { formFields, orThrow, refusal } from "../lib/outcome";
import { useRound } from "../lib/round-client";
import { toJoin } from "../lib/session-gone.server";

const PaperEditor = lazy(() => import("../components/PaperEditor").then((module) => ({ default: module.PaperEditor })));

export const meta: MetaFunction<typeof loader> = ({ data: room }) => [
  { title: room ? `${room.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (!context.session) throw toJoin(request);
  return orThrow(await context.services.roomView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await context.services.chooseTeam(context.session, params.debateId ?? "", await formFields(request));
  if (!result.ok) return refusal(result);
  return redirect(`/debates/${params.debateId}`);
}

/** Assign mode: the student waits here until the instructor puts them on a team. */
function WaitingForTeam() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <section aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">Waiting for your team</h2>
      <p role="status">Your instructor is putting students on teams. This page updates by itself.</p>
    </section>
  );
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
      <FormError error={failed?.error} />
    </section>
  );
}

type Pane = "paper" | "reading";

/** On a phone the reading and the paper take turns on the screen; on a laptop both show and these tabs are hidden. */
function PaneTabs({ pane, onChange }: { pane: Pane; onChange: (pane: Pane) => void }) {
  const tab = (which: Pane, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${which}`}
      aria-selected={pane === which}
      aria-controls={`pane-${which}`}
      className="pane-tab"
      onClick={() => onChange(which)}
    >
      {label}
    </button>
  );
  return (
    <div role="tablist" aria-label="Show" className="pane-tabs">
      {tab("paper", "Paper")}
      {tab("reading", "Reading")}
    </div>
  );
}

/** On a phone the header is sticky and wraps to any height; the paper's own sticky header sits just below it. */
function useHeaderHeight() {
  const header = useRef<HTMLElement>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const element = header.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.offsetHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { header, style: { "--room-header-height": `${height}px` } as React.CSSProperties };
}

export default function DebateRoom() {
  const room = useLoaderData<typeof loader>();
  const [pane, setPane] = useState<Pane>("paper");
  const { header, style } = useHeaderHeight();
  const round = useRound(room.debate.id);
  const revalidator = useRevalidator();
  // Cut off by the server (removed, or the debate deleted): reloading the data leads to the page that says why.
  // Once only: the revalidator changes as its load starts, and a second call would abort the first.
  const reloadedAfterEnd = useRef(false);
  useEffect(() => {
    if (!round.ended || reloadedAfterEnd.current || revalidator.state !== "idle") return;
    reloadedAfterEnd.current = true;
    revalidator.revalidate();
  }, [round.ended, revalidator]);
  const [searchParams] = useSearchParams();
  const needsTeam = room.me.role === "student" && !room.me.teamId;
  const selected = room.papers.find((paper) => paper.team.id === searchParams.get("paper")) ?? room.papers[0];

  return (
    <div className="room" style={style}>
      <header className="room-header" ref={header}>
        <div className="room-title">
          <p className="motion">{room.debate.motion}</p>
          <p className="me">
            Signed in as <strong>{room.me.displayName}</strong>
            {room.me.role === "judge" ? (
              <>
                {" · "}
                <Link to={`/debates/${room.debate.id}/judge`}>Judge room</Link>
              </>
            ) : null}
            {room.me.role === "audience" && round.snapshot?.format.audienceVote ? (
              <>
                {" · "}
                <Link to={`/debates/${room.debate.id}/vote`}>Vote on the motion</Link>
              </>
            ) : null}
            {room.me.role !== "judge" ? (
              <>
                {" · "}
                <Link to={`/debates/${room.debate.id}/results`}>Results</Link>
              </>
            ) : null}
          </p>
        </div>
        <RoundTimer round={round} teams={room.teams} />
        {round.snapshot?.round.state === "finished" ? (
          <p className="archived-note" role="note">
            The round is finished.{" "}
            {room.me.role === "judge" ? (
              <Link to={`/debates/${room.debate.id}/judge`}>Submit your ballot in the judge room</Link>
            ) : (
              <>
                Your instructor releases the results on the{" "}
                <Link to={`/debates/${room.debate.id}/results`}>results page</Link>.
              </>
            )}
          </p>
        ) : null}
        {room.debate.archived ? (
          <p className="archived-note" role="note">
            This debate is archived: papers are kept as they are and no longer change. Results stay here.
          </p>
        ) : null}
      </header>
      {needsTeam ? (
        <main className="page narrow">
          {room.teamMode === "choose" ? <TeamPicker teams={room.teams} /> : <WaitingForTeam />}
        </main>
      ) : (
        <main className={`room-body showing-${pane}`}>
          <PaneTabs pane={pane} onChange={setPane} />
          <div id="pane-reading" className="reading-column">
            <ReadingPane reading={room.reading} />
          </div>
          <div id="pane-paper" className="paper-column">
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
              <ClientOnly fallback={<p className="paper-loading">Opening the paper…</p>}>
                <PaperEditor
                  key={selected.team.id}
                  paper={selected}
                  me={{ name: room.me.publicName, color: room.me.color }}
                />
              </ClientOnly>
            ) : (
              <p>There is no paper for you to open in this debate.</p>
            )}
          </div>
        </main>
      )}
    </div>
  );
}
