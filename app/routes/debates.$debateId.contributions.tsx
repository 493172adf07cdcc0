import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ContributorView } from "../../shared/classroom/views";
import { orThrow } from "../lib/outcome";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Contributions · ${view.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.contributionsView(context.session, params.debateId ?? "")).view;
}

const timeOfDay = (milliseconds: number) =>
  new Date(milliseconds).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** Characters written per minute as bars: a quick read of who wrote when, not a precise chart. */
function Activity({ contributor, color, minutes }: { contributor: ContributorView; color: string; minutes: number[] }) {
  const peak = Math.max(1, ...contributor.insertedPerMinute);
  const width = Math.max(minutes.length * 6, 6);
  const summary = `${contributor.displayName} wrote most around ${timeOfDay(
    minutes[contributor.insertedPerMinute.indexOf(Math.max(...contributor.insertedPerMinute))] ?? 0,
  )}`;
  return (
    <svg className="activity" viewBox={`0 0 ${width} 24`} width={width} height={24} role="img" aria-label={summary}>
      {contributor.insertedPerMinute.map((count, index) => {
        const height = Math.round((count / peak) * 22);
        return (
          <rect key={minutes[index]} x={index * 6} y={24 - height} width={5} height={height} fill={color}>
            <title>{`${timeOfDay(minutes[index]!)}: ${count} characters`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

export default function Contributions() {
  const view = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <p className="eyebrow">
        <Link to={`/debates/${view.debate.id}/control`}>Control room</Link> › Contributions
      </p>
      <h1>Who wrote what</h1>
      <p className="lede">
        Characters each student typed into their team's paper and deleted from it, counted by the server as the edits
        were saved.
      </p>
      {view.papers.map(({ team, contributors }) => (
        <section key={team.id} aria-labelledby={`contributions-${team.id}`} className="contributions">
          <h2 id={`contributions-${team.id}`} style={{ borderColor: team.color }}>
            {team.name} position paper
          </h2>
          {contributors.length === 0 ? (
            <p>Nobody has written in this paper yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Characters written</th>
                  <th scope="col">Characters deleted</th>
                  <th scope="col">Activity</th>
                </tr>
              </thead>
              <tbody>
                {contributors.map((contributor) => (
                  <tr key={contributor.sessionId}>
                    <th scope="row">{contributor.displayName}</th>
                    <td>{contributor.inserted}</td>
                    <td>{contributor.deleted}</td>
                    <td>
                      <Activity contributor={contributor} color={team.color} minutes={view.minutes} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </main>
  );
}
