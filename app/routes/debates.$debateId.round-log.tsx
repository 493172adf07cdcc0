import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { orThrow } from "../lib/outcome";

export const meta: MetaFunction = () => [{ title: "Round log · Caucus" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return orThrow(await context.services.roundLogView(context.session, params.debateId ?? "", page)).view;
}

const clock = (serverTime: number) => new Date(serverTime).toLocaleTimeString([], { hour12: false });

export default function RoundLog() {
  const { debate, entries, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <p className="eyebrow">
        <Link to={`/debates/${debate.id}/control`}>Control room</Link> › Round log
      </p>
      <h1>Round log</h1>
      <p className="lede">Every command sent to this round, who sent it and when, newest first.</p>
      {entries.length === 0 ? (
        <p>Nobody has sent a command yet.</p>
      ) : (
        <table className="round-log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Who</th>
              <th scope="col">Command</th>
              <th scope="col">Phase</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={`${entry.serverTime}:${entry.actorName}:${entry.command}:${entry.outcome}`}>
                <td>{clock(entry.serverTime)}</td>
                <td>{entry.actorName}</td>
                <td>{entry.command}</td>
                <td>{entry.phaseNumber}</td>
                <td>{entry.outcome === "applied" ? "Applied" : `Refused: ${entry.reason}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageCount > 1 ? (
        <nav aria-label="Round log pages" className="section-links">
          {page > 1 ? <Link to={`?page=${page - 1}`}>Newer commands</Link> : null}
          <span>{`Page ${page} of ${pageCount}`}</span>
          {page < pageCount ? <Link to={`?page=${page + 1}`}>Older commands</Link> : null}
        </nav>
      ) : null}
    </main>
  );
}
