import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { REVEAL_POLICIES, REVEAL_POLICY_LABELS, TEAM_MODE_LABELS, TEAM_MODES } from "../../shared/classroom";
import type { PaperHealthView, ParticipantView, TeamView } from "../../shared/views";
import { FormError } from "../components/FormError";
import { RoundControls } from "../components/RoundControls";
import { formFields, orThrow, refusal } from "../lib/outcome";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: control }) => [
  { title: control ? `Control room · ${control.debate.title} · Caucus` : "Caucus" },
];

const PRESENCE_REFRESH_MS = 3000;

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/login");
  return orThrow(await context.services.controlView(context.session, params.debateId ?? "")).view;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await context.services.control(context.session, params.debateId ?? "", await formFields(request));
  if (!result.ok) return refusal(result);
  if (result.deleted) return redirect("/debates");
  return { error: undefined };
}

/** Keeps presence (online, typing) fresh while the control room is visible. */
function useLivePresence() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [revalidator]);
}

function Presence({ person }: { person: ParticipantView }) {
  if (person.typing) return <span className="presence typing">typing</span>;
  return person.online ? <span className="presence online">online</span> : <span className="presence">offline</span>;
}

function Member({ person, teams }: { person: ParticipantView; teams: TeamView[] }) {
  return (
    <li className="member">
      <span className="member-name">
        {person.displayName}
        {person.codeName ? <span className="team-detail"> ({person.codeName})</span> : null}{" "}
        <Presence person={person} />
      </span>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="sessionId" value={person.sessionId} />
        <label className="visually-hidden" htmlFor={`team-${person.sessionId}`}>
          Team of {person.displayName}
        </label>
        <select id={`team-${person.sessionId}`} name="teamId" defaultValue={person.teamId ?? ""}>
          {person.teamId ? null : <option value="">No team yet</option>}
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          Move {person.displayName}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="sessionId" value={person.sessionId} />
        <label className="visually-hidden" htmlFor={`name-${person.sessionId}`}>
          New name for {person.displayName}
        </label>
        <input id={`name-${person.sessionId}`} name="name" defaultValue={person.displayName} maxLength={40} />
        <button type="submit" className="secondary">
          Rename {person.displayName}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="sessionId" value={person.sessionId} />
        <button type="submit" className="danger">
          Remove {person.displayName}
        </button>
      </Form>
    </li>
  );
}

function CodeCard(props: { id: string; label: string; value: string; link: string; which: string; large: boolean }) {
  return (
    <div className="code-card">
      <h3 id={props.id}>{props.label}</h3>
      {props.large ? (
        <output className="code" aria-labelledby={props.id}>
          {props.value}
        </output>
      ) : null}
      <p className="code-hint">
        <a href={props.link}>{props.link}</a>
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="rotate-code" />
        <input type="hidden" name="which" value={props.which} />
        <button type="submit" className="secondary">
          New {props.label.toLowerCase()}
        </button>
      </Form>
    </div>
  );
}

/** One control room setting: a labelled choice and its own save button, posted as `intent`. */
function SettingForm({
  intent,
  label,
  name,
  value,
  choices,
  submit,
}: {
  intent: string;
  label: string;
  name: string;
  value: string;
  choices: [string, string][];
  submit: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <label>
        {label}
        <select name={name} defaultValue={value}>
          {choices.map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="secondary">
        {submit}
      </button>
    </Form>
  );
}

function kilobytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The paper's size against its limit, changes set aside on load, and a restore from a named snapshot. */
function PaperHealth({ paper, teamName }: { paper: PaperHealthView; teamName: string }) {
  const full = paper.bytes / paper.limitBytes;
  return (
    <div className="paper-health">
      <p>
        <label>
          Paper size{" "}
          <meter min={0} max={paper.limitBytes} high={paper.limitBytes * 0.8} value={paper.bytes}>
            {Math.round(full * 100)} %
          </meter>
        </label>{" "}
        <span className="team-detail">
          {kilobytes(paper.bytes)} of {kilobytes(paper.limitBytes)}
          {full >= 0.8 ? " — close to its limit" : ""}
        </span>
      </p>
      {paper.setAside > 0 ? (
        <p role="status">
          {paper.setAside === 1 ? "1 change" : `${paper.setAside} changes`} to this paper could not be loaded and{" "}
          {paper.setAside === 1 ? "was" : "were"} set aside; the rest of the paper is intact.
        </p>
      ) : null}
      {paper.snapshots.length > 0 ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="restore" />
          <label>
            Snapshot of {teamName}
            <select name="snapshotId">
              {paper.snapshots.map((snapshot) => (
                <option key={snapshot.id} value={snapshot.id}>
                  {snapshot.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="secondary">
            Restore paper
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export default function ControlRoom() {
  const control = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const round = useRound(control.debate.id);
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  useLivePresence();
  const unassigned = control.students.filter((person) => !person.teamId);
  const debateId = control.debate.id;

  return (
    <main className="page control">
      <header>
        <p className="eyebrow">
          <Link to="/debates">Your debates</Link> · Control room{control.debate.archived ? " · archived" : ""}
        </p>
        <h1>{control.debate.title}</h1>
        <p className="motion">{control.debate.motion}</p>
        <nav aria-label="Control room" className="section-links">
          <a href="#codes-heading">Codes</a>
          <a href="#round-heading">Round controls</a>
          <a href="#teams-heading">Teams</a>
          <a href="#settings-heading">Settings</a>
          <Link to={`/debates/${debateId}/results`}>Results</Link>
        </nav>
      </header>
      <FormError error={failed?.error} />

      <section aria-labelledby="codes-heading">
        <h2 id="codes-heading">Join codes</h2>
        <div className="codes">
          <CodeCard
            id="student-code-label"
            label="Student join code"
            value={control.studentCode}
            link={`${origin}/join?code=${control.studentCode}`}
            which="student"
            large
          />
          <CodeCard
            id="judge-code-label"
            label="Judge join code"
            value={control.judgeCode}
            link={`${origin}/join?code=${control.judgeCode}`}
            which="judge"
            large
          />
          <CodeCard
            id="audience-link-label"
            label="Audience link"
            value=""
            link={`${origin}/watch/${control.audienceKey}`}
            which="audience"
            large={false}
          />
        </div>
      </section>

      <RoundControls round={round} teams={control.teams} />

      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams</h2>
        <div className="teams-grid">
          {control.teams.map((team) => {
            const members = control.students.filter((person) => person.teamId === team.id);
            const paper = control.papers.find((health) => health.teamId === team.id);
            return (
              <section key={team.id} className="team-card" style={{ borderColor: team.color }} aria-label={team.name}>
                <h3>
                  {team.name} <span className="team-detail">({members.length})</span>
                </h3>
                <p>
                  <Link to={`/debates/${debateId}?paper=${team.id}`}>{team.name} position paper</Link>
                </p>
                {paper ? <PaperHealth paper={paper} teamName={team.name} /> : null}
                {members.length === 0 ? <p className="team-detail">Nobody yet.</p> : null}
                <ul className="members">
                  {members.map((person) => (
                    <Member key={person.sessionId} person={person} teams={control.teams} />
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
        {unassigned.length > 0 ? (
          <section aria-labelledby="unassigned-heading">
            <h3 id="unassigned-heading">Not on a team yet</h3>
            <ul className="members">
              {unassigned.map((person) => (
                <Member key={person.sessionId} person={person} teams={control.teams} />
              ))}
            </ul>
          </section>
        ) : null}
        <h3>Judges</h3>
        {control.judges.length === 0 ? <p className="team-detail">No judges yet.</p> : null}
        <ul className="members">
          {control.judges.map((person) => (
            <li key={person.sessionId} className="member">
              <span className="member-name">
                {person.displayName} <Presence person={person} />
              </span>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="sessionId" value={person.sessionId} />
                <button type="submit" className="danger">
                  Remove {person.displayName}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <p className="team-detail">Audience screens: {control.audienceCount}</p>
      </section>

      <p>
        <Link to={`/debates/${control.debate.id}/contributions`}>Who wrote what in each paper</Link>
      </p>

      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <div className="settings">
          <SettingForm
            intent="team-mode"
            label="Team assignment"
            name="teamMode"
            value={control.teamMode}
            choices={TEAM_MODES.map((mode) => [mode, TEAM_MODE_LABELS[mode]])}
            submit="Save team assignment"
          />
          <SettingForm
            intent="reveal"
            label="Other team's paper visible"
            name="revealPolicy"
            value={control.revealPolicy}
            choices={REVEAL_POLICIES.map((policy) => [policy, REVEAL_POLICY_LABELS[policy]])}
            submit="Save reveal setting"
          />
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="code-names" />
            <input type="hidden" name="codeNames" value={control.codeNames ? "off" : "on"} />
            <p>
              Code names are <strong>{control.codeNames ? "on" : "off"}</strong>: judges and audience see{" "}
              {control.codeNames ? "“Side · Speaker 2”" : "students' names"}.
            </p>
            <button type="submit" className="secondary">
              {control.codeNames ? "Turn code names off" : "Turn code names on"}
            </button>
          </Form>
        </div>
      </section>

      <section aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">Archive or delete</h2>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="archive" />
          <input type="hidden" name="archived" value={control.debate.archived ? "no" : "yes"} />
          <button type="submit" className="secondary">
            {control.debate.archived ? "Reopen the debate" : "Archive the debate"}
          </button>
        </Form>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="delete" />
          <label>
            Type delete to remove the debate and every paper, ballot and session of it
            <input name="confirm" autoComplete="off" />
          </label>
          <button type="submit" className="danger">
            Delete the debate
          </button>
        </Form>
      </section>
    </main>
  );
}
