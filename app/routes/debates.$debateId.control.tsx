import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { RoundControls } from "../components/RoundControls";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: control }) => [
  { title: control ? `Control room · ${control.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/");
  const control = await context.services.controlView(context.session, params.debateId ?? "");
  if (!control) throw new Response("Only this debate's instructor can open its control room.", { status: 403 });
  return control;
}

export default function ControlRoom() {
  const control = useLoaderData<typeof loader>();
  const round = useRound(control.debate.id);
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);

  return (
    <main className="page control">
      <header>
        <p className="eyebrow">Control room</p>
        <h1>{control.debate.title}</h1>
        <p className="motion">{control.debate.motion}</p>
      </header>

      <section className="codes" aria-label="Join codes">
        <div className="code-card">
          <h2 id="student-code-label">Student join code</h2>
          <output className="code" aria-labelledby="student-code-label">
            {control.studentCode}
          </output>
          <p className="code-hint">Students open {origin || "this site"}/join and type the code with their name.</p>
        </div>
        <div className="code-card">
          <h2 id="judge-code-label">Judge join code</h2>
          <output className="code" aria-labelledby="judge-code-label">
            {control.judgeCode}
          </output>
        </div>
      </section>

      <RoundControls round={round} teams={control.teams} />

      <section aria-labelledby="papers-heading">
        <h2 id="papers-heading">Papers</h2>
        <ul className="team-list">
          {control.teams.map((team) => (
            <li key={team.id} style={{ borderColor: team.color }}>
              <Link to={`/debates/${control.debate.id}?paper=${team.id}`}>{team.name} position paper</Link>
              <span className="team-detail">{team.description}</span>
            </li>
          ))}
        </ul>
      </section>

      <p>
        <Link to={`/debates/${control.debate.id}/contributions`}>Who wrote what in each paper</Link>
      </p>

      <section aria-labelledby="host-link-heading" className="host-link">
        <h2 id="host-link-heading">Your instructor link</h2>
        <p>
          Keep this private: it opens this control room from another device.{" "}
          <code>
            {origin}/host/{control.hostKey}
          </code>
        </p>
      </section>
    </main>
  );
}
