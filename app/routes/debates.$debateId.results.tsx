import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RELEASE_STAGE_LABELS, RELEASE_STAGES } from "../../shared/judging/fields";
import type { PanelOutcome } from "../../shared/judging/panel";
import type { ResultsView } from "../../shared/judging/views";
import { FormError } from "../components/FormError";
import { CriterionChart } from "../components/judging/CriterionChart";
import { JudgedPaperView } from "../components/judging/JudgedPaperView";
import { formFields, orThrow, refusal } from "../lib/outcome";

export const meta: MetaFunction<typeof loader> = ({ data: view }) => [
  { title: view ? `Results · ${view.debate.title} · Caucus` : "Caucus" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  return orThrow(await context.services.resultsView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await context.services.judgingCommand(
    context.session,
    params.debateId ?? "",
    await formFields(request),
  );
  if (!result.ok) return refusal(result);
  return { error: undefined };
}

function teamName(view: ResultsView, teamId: string): string {
  return view.teams.find((team) => team.id === teamId)?.name ?? "A side";
}

function outcomeText(view: ResultsView, outcome: PanelOutcome, chairName: string | null): string {
  switch (outcome.kind) {
    case "no-ballots":
      return "No ballot is submitted yet.";
    case "no-votes":
      return `Every judge abstained (${outcome.abstentions}).`;
    case "unanimous":
      return `${teamName(view, outcome.winnerTeamId)} wins, unanimously (${outcome.votes}–0).`;
    case "majority":
      return `${teamName(view, outcome.winnerTeamId)} wins on a split decision, ${outcome.split}.`;
    case "casting-vote":
      return `${teamName(view, outcome.winnerTeamId)} wins: the panel split ${outcome.split} and the chair${chairName ? `, ${chairName},` : ""} broke the tie.`;
    case "tied":
      return `The panel is tied ${outcome.split}; ${chairName ? "the chair did not vote for either leading side" : "no chair is chosen to break the tie"}.`;
  }
}

/** Heat band of an argument's mean score (0–100), named, so the colour is never the only cue. */
function band(score: number | null): { name: string; className: string } {
  if (score === null) return { name: "Not scored", className: "heat-none" };
  if (score >= 80) return { name: "Strong", className: "heat-strong" };
  if (score >= 60) return { name: "Solid", className: "heat-solid" };
  if (score >= 40) return { name: "Developing", className: "heat-developing" };
  return { name: "Weak", className: "heat-weak" };
}

function Manage({ view }: { view: ResultsView }) {
  const failed = useActionData<typeof action>();
  const manage = view.manage;
  if (!manage) return null;
  return (
    <section className="manage no-print" aria-labelledby="manage-title">
      <h2 id="manage-title">Judging settings</h2>
      <FormError error={failed?.error} />
      <div className="manage-grid">
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="release" />
          <label htmlFor="release-stage">What students see</label>
          <select id="release-stage" name="releaseStage" defaultValue={view.stage} key={view.stage}>
            {RELEASE_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {RELEASE_STAGE_LABELS[stage]}
              </option>
            ))}
          </select>
          <button type="submit">Release</button>
        </Form>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="chair" />
          <label htmlFor="chair">Chair (casting vote)</label>
          <select
            id="chair"
            name="chairSessionId"
            defaultValue={manage.chairSessionId ?? ""}
            key={manage.chairSessionId}
          >
            <option value="">No chair</option>
            {manage.judges.map((judge) => (
              <option key={judge.sessionId} value={judge.sessionId}>
                {judge.name}
              </option>
            ))}
          </select>
          <button type="submit">Save chair</button>
        </Form>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="rubric" />
          <label htmlFor="rubric">Rubric</label>
          <select id="rubric" name="rubricId" defaultValue={manage.rubricId} disabled={manage.rubricLocked}>
            {manage.rubricChoices.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={manage.rubricLocked}>
            Use this rubric
          </button>
          {manage.rubricLocked ? (
            <p className="team-detail">Judges have scored on this rubric: it stays.</p>
          ) : (
            <Link to={`/debates/${view.debate.id}/rubric`}>Edit a custom rubric</Link>
          )}
        </Form>
      </div>
      <p>
        Export: <a href={`/debates/${view.debate.id}/results.csv`}>CSV</a> ·{" "}
        <a href={`/debates/${view.debate.id}/results.json`}>JSON</a> ·{" "}
        <Link to={`/debates/${view.debate.id}/control`}>Control room</Link>
      </p>
    </section>
  );
}

function Ballots({ view }: { view: ResultsView }) {
  if (!view.ballots) return null;
  return (
    <section aria-labelledby="ballots-title">
      <h2 id="ballots-title">Ballots</h2>
      {view.ballots.length === 0 ? <p>No judge has started a ballot yet.</p> : null}
      <ul className="ballot-list">
        {view.ballots.map((ballot) => (
          <li key={ballot.judgeSessionId}>
            <strong>{ballot.judgeName}</strong>
            {ballot.isChair ? " (chair)" : ""}: {ballot.status === "submitted" ? "submitted" : "draft"}
            {ballot.status === "submitted"
              ? ` · votes ${ballot.vote === "abstain" ? "abstain" : ballot.vote ? teamName(view, ballot.vote) : "—"}`
              : ""}
            {view.manage && ballot.status === "submitted" ? (
              <Form method="post" className="inline-form no-print">
                <input type="hidden" name="intent" value="reopen" />
                <input type="hidden" name="judgeSessionId" value={ballot.judgeSessionId} />
                <button type="submit" className="secondary">
                  Reopen {ballot.judgeName}'s ballot
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function Results() {
  const view = useLoaderData<typeof loader>();
  const { decision, scores, feedback, audience } = view;

  return (
    <main className="page wide results">
      <p className="eyebrow no-print">
        <Link to={`/debates/${view.debate.id}`}>{view.debate.title}</Link>
      </p>
      <h1>Results</h1>
      <p className="motion">{view.debate.motion}</p>
      <Manage view={view} />
      <section aria-labelledby="decision-title">
        <h2 id="decision-title">Decision</h2>
        {decision ? (
          <>
            <p className="decision" role="status">
              {outcomeText(view, decision.outcome, decision.chairName)}
            </p>
            <ul className="vote-list">
              {view.teams.map((team) => (
                <li key={team.id}>
                  <span className="side-swatch" style={{ background: team.color }} aria-hidden="true" />
                  {team.name}: {decision.votes[team.id] ?? 0} {decision.votes[team.id] === 1 ? "vote" : "votes"}
                </li>
              ))}
              {decision.abstentions > 0 ? <li>Abstentions: {decision.abstentions}</li> : null}
            </ul>
          </>
        ) : (
          <p>The results are not released yet.</p>
        )}
      </section>
      {audience ? (
        <section aria-labelledby="audience-title">
          <h2 id="audience-title">Audience vote</h2>
          <table className="swing">
            <thead>
              <tr>
                <th scope="col">Side</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Swing</th>
              </tr>
            </thead>
            <tbody>
              {audience.map((side) => (
                <tr key={side.teamId}>
                  <th scope="row">{teamName(view, side.teamId)}</th>
                  <td>
                    {side.beforePercent === null ? "no votes" : `${side.beforePercent.toFixed(0)}% (${side.before})`}
                  </td>
                  <td>
                    {side.afterPercent === null ? "no votes" : `${side.afterPercent.toFixed(0)}% (${side.after})`}
                  </td>
                  <td>
                    {side.swing === null
                      ? "—"
                      : `${side.swing > 0 ? "+" : side.swing < 0 ? "−" : "±"}${Math.abs(side.swing).toFixed(0)} points`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {scores ? (
        <section aria-labelledby="scores-title">
          <h2 id="scores-title">Scores</h2>
          <ul className="vote-list">
            {view.teams.map((team) => (
              <li key={team.id}>
                {team.name}:{" "}
                {scores.teamTotals[team.id] == null ? "not scored" : `${scores.teamTotals[team.id]!.toFixed(1)} / 100`}
              </li>
            ))}
          </ul>
          <CriterionChart rubric={view.rubric} teams={view.teams} means={scores.criterionMeans} />
        </section>
      ) : null}
      {feedback ? (
        <section aria-labelledby="feedback-title">
          <h2 id="feedback-title">Written feedback</h2>
          {feedback.reasons.map((reason) => (
            <blockquote key={`reason-${reason.judgeName}`} className="feedback">
              <strong>{reason.judgeName}, reason for decision:</strong> {reason.text}
            </blockquote>
          ))}
          {feedback.teamFeedback.map((item) => (
            <blockquote key={`${item.teamId}-${item.judgeName}`} className="feedback">
              <strong>
                {item.judgeName} to {teamName(view, item.teamId)}:
              </strong>{" "}
              {item.text}
            </blockquote>
          ))}
        </section>
      ) : null}
      {scores && view.papers.length > 0 ? (
        <section aria-labelledby="papers-title">
          <h2 id="papers-title">Scores on the papers</h2>
          <div className="judged-papers">
            {view.papers.map((paper) => (
              <JudgedPaperView
                key={paper.team.id}
                paper={paper}
                argumentClass={(argument) =>
                  band(argument.key === null ? null : (scores.argumentMeans[argument.key] ?? null)).className
                }
                renderArgument={(argument) => {
                  if (argument.key === null) return null;
                  const score = scores.argumentMeans[argument.key] ?? null;
                  const comments = feedback?.comments.filter((comment) => comment.argumentKey === argument.key) ?? [];
                  return (
                    <div className="argument-result">
                      <p className="argument-score">
                        {band(score).name}
                        {score === null ? "" : ` · ${score.toFixed(1)} / 100`}
                      </p>
                      {comments.length > 0 ? (
                        <ul className="comments" aria-label={`Comments on ${argument.title || "this argument"}`}>
                          {comments.map((comment) => (
                            <li key={`${comment.judgeName}-${comment.text}`}>
                              <strong>{comment.judgeName}:</strong> {comment.text}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                  );
                }}
              />
            ))}
          </div>
        </section>
      ) : null}
      <Ballots view={view} />
    </main>
  );
}
