import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { REVEAL_POLICIES, REVEAL_POLICY_LABELS, TEAM_MODE_LABELS, TEAM_MODES } from "../../shared/classroom/choices";
import type { ControlView, PaperHealthView, ParticipantView, TeamView } from "../../shared/classroom/views";
import { RELEASE_STAGE_LABELS } from "../../shared/judging/fields";
import { RosterChecks } from "../components/control/RosterChecks";
import { FormError } from "../components/FormError";
import { RoundControls } from "../components/RoundControls";
import { type ControlFeed, useControlFeed } from "../lib/control-feed";
import { formFields, orThrow, refusal } from "../lib/outcome";
import { useRound } from "../lib/round-client";

export const meta: MetaFunction<typeof loader> = ({ data: control }) => [
  { title: control ? `Control room · ${control.debate.title} · Caucus` : "Caucus" },
];

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

/**
 * Said only once the page has been live: before the first connection the loader's view is fresh.
 * While it shows, the roster, presence and ballots are as they were when the connection dropped.
 */
function LiveStatus({ feed }: { feed: ControlFeed }) {
  const [wasLive, setWasLive] = useState(false);
  useEffect(() => {
    if (feed.live) setWasLive(true);
  }, [feed.live]);
  if (feed.live || (!wasLive && !feed.problem)) return null;
  return (
    <p role="status" className="notice">
      {feed.problem ?? "Live updates paused: reconnecting. The roster, presence and ballots may be out of date."}
    </p>
  );
}

function Presence({ person }: { person: ParticipantView }) {
  if (person.typing) return <span className="presence typing">typing</span>;
  return person.online ? <span className="presence online">online</span> : <span className="presence">offline</span>;
}

const BALLOT_WORDS = { draft: "scoring", submitted: "ballot submitted" } as const;

function BallotState({ person }: { person: ParticipantView }) {
  return (
    <span className={`ballot-state ballot-${person.ballot ?? "none"}`}>
      {person.ballot ? BALLOT_WORDS[person.ballot] : "no ballot yet"}
    </span>
  );
}

/** Rename and move one student: tucked in a menu so that a row stays one line. */
function RowMenu({ person, teams }: { person: ParticipantView; teams: TeamView[] }) {
  return (
    <details className="row-menu">
      <summary aria-label={`More for ${person.displayName}`}>⋯</summary>
      <div className="row-menu-body">
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
      </div>
    </details>
  );
}

function RemoveButton({ person }: { person: ParticipantView }) {
  return (
    <Form
      method="post"
      className="row-remove"
      onSubmit={(event) => {
        if (
          !window.confirm(
            `Remove ${person.displayName} from the debate? Their browser stays out until you let it back in.`,
          )
        ) {
          event.preventDefault();
        }
      }}
    >
      <input type="hidden" name="intent" value="remove" />
      <input type="hidden" name="sessionId" value={person.sessionId} />
      <button type="submit" className="danger small" aria-label={`Remove ${person.displayName}`}>
        Remove
      </button>
    </Form>
  );
}

/** One line per student: select, name, presence, a menu for rename and move, remove. */
function StudentRow({
  person,
  teams,
  selected,
  onSelect,
}: {
  person: ParticipantView;
  teams: TeamView[];
  selected: boolean;
  onSelect: (selected: boolean) => void;
}) {
  return (
    <li className="roster-row">
      <input
        type="checkbox"
        aria-label={`Select ${person.displayName}`}
        checked={selected}
        onChange={(event) => onSelect(event.target.checked)}
      />
      <span className="roster-name" title={person.displayName}>
        {person.displayName}
        {person.codeName ? <span className="team-detail"> ({shortCodeName(person, teams)})</span> : null}
      </span>
      <Presence person={person} />
      <RowMenu person={person} teams={teams} />
      <RemoveButton person={person} />
    </li>
  );
}

/** "Realpolitik · Speaker 2" inside the Realpolitik card is just "Speaker 2": the row has little room. */
function shortCodeName(person: ParticipantView, teams: TeamView[]): string {
  const team = teams.find((candidate) => candidate.id === person.teamId);
  const codeName = person.codeName ?? "";
  return team && codeName.startsWith(`${team.name} · `) ? codeName.slice(team.name.length + 3) : codeName;
}

function matches(person: ParticipantView, query: string): boolean {
  const wanted = query.trim().toLowerCase();
  return (
    wanted === "" ||
    person.displayName.toLowerCase().includes(wanted) ||
    (person.codeName?.toLowerCase().includes(wanted) ?? false)
  );
}

/** Move or remove every selected student at once. */
function BulkActions({ selected, teams, onDone }: { selected: string[]; teams: TeamView[]; onDone: () => void }) {
  const ids = selected.join(",");
  return (
    <fieldset className="bulk-actions">
      <legend className="visually-hidden">Selected students</legend>
      <output className="bulk-count">{selected.length} selected</output>
      <Form method="post" className="inline-form" onSubmit={onDone}>
        <input type="hidden" name="intent" value="move-many" />
        <input type="hidden" name="sessionIds" value={ids} />
        <label className="visually-hidden" htmlFor="bulk-team">
          Team for the selected students
        </label>
        <select id="bulk-team" name="teamId" disabled={selected.length === 0}>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary" disabled={selected.length === 0}>
          Move selected
        </button>
      </Form>
      <Form
        method="post"
        className="inline-form"
        onSubmit={(event) => {
          if (
            !window.confirm(
              `Remove ${selected.length} students from the debate? Their browsers stay out until you let them back in.`,
            )
          )
            event.preventDefault();
          else onDone();
        }}
      >
        <input type="hidden" name="intent" value="remove-many" />
        <input type="hidden" name="sessionIds" value={ids} />
        <button type="submit" className="danger" disabled={selected.length === 0}>
          Remove selected
        </button>
      </Form>
    </fieldset>
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

function Roster({ control }: { control: ControlView }) {
  const [query, setQuery] = useState("");
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const present = new Set(control.students.map((person) => person.sessionId));
  const selected = [...selection].filter((id) => present.has(id));
  const select = (id: string, on: boolean) =>
    setSelection((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const groups: { key: string; label: string; team: TeamView | null }[] = [
    ...control.teams.map((team) => ({ key: team.id, label: team.name, team })),
    { key: "none", label: "Not on a team yet", team: null },
  ];
  const debateId = control.debate.id;
  return (
    <section aria-labelledby="teams-heading" className="roster">
      <div className="roster-head">
        <h2 id="teams-heading">
          Teams{" "}
          <span className="team-detail">
            ({control.students.length} {control.students.length === 1 ? "student" : "students"})
          </span>
        </h2>
        <label className="roster-search">
          <span className="visually-hidden">Search students</span>
          <input
            type="search"
            placeholder="Search students"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
      </div>
      <RosterChecks doubts={control.doubts} removed={control.removed} />
      <BulkActions selected={selected} teams={control.teams} onDone={() => setSelection(new Set())} />
      <div className="teams-grid">
        {groups.map(({ key, label, team }) => {
          const members = control.students.filter((person) => (person.teamId ?? "none") === key);
          if (!team && members.length === 0) return null;
          const shown = members.filter((person) => matches(person, query));
          const allSelected = shown.length > 0 && shown.every((person) => selection.has(person.sessionId));
          const paper = team && control.papers.find((health) => health.teamId === team.id);
          return (
            <section
              key={key}
              className="team-card"
              style={team ? { borderColor: team.color } : undefined}
              aria-label={label}
            >
              <h3>
                <input
                  type="checkbox"
                  aria-label={`Select everyone shown in ${label}`}
                  checked={allSelected}
                  disabled={shown.length === 0}
                  onChange={(event) => {
                    for (const person of shown) select(person.sessionId, event.target.checked);
                  }}
                />{" "}
                {label} <span className="team-detail">({members.length})</span>
                {team ? (
                  <Link className="team-paper-link" to={`/debates/${debateId}?paper=${team.id}`}>
                    {team.name} position paper
                  </Link>
                ) : null}
              </h3>
              {paper ? <PaperHealth paper={paper} teamName={label} /> : null}
              {members.length === 0 ? <p className="team-detail">Nobody yet.</p> : null}
              {members.length > 0 && shown.length === 0 ? <p className="team-detail">No match.</p> : null}
              <ul className="roster-rows">
                {shown.map((person) => (
                  <StudentRow
                    key={person.sessionId}
                    person={person}
                    teams={control.teams}
                    selected={selection.has(person.sessionId)}
                    onSelect={(on) => select(person.sessionId, on)}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      <section aria-labelledby="judges-heading" className="judges">
        <h3 id="judges-heading">Judges</h3>
        {control.judges.length === 0 ? <p className="team-detail">No judges yet.</p> : null}
        <ul className="roster-rows">
          {control.judges.map((person) => (
            <li key={person.sessionId} className="roster-row judge-row">
              <span className="roster-name">{person.displayName}</span>
              <Presence person={person} />
              <BallotState person={person} />
              <RemoveButton person={person} />
            </li>
          ))}
        </ul>
        <p className="team-detail">Audience screens: {control.audienceCount}</p>
        <p className="team-detail">
          Released to students and the audience: {RELEASE_STAGE_LABELS[control.releaseStage]}
        </p>
      </section>
    </section>
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

export default function ControlRoom() {
  const loaded = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const round = useRound(loaded.debate.id);
  const feed = useControlFeed(round.socket, loaded);
  const control = feed.view;
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const debateId = control.debate.id;

  return (
    <main className="page wide control">
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
      <LiveStatus feed={feed} />

      <div className="control-layout">
        <div className="control-main">
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

          <Roster control={control} />

          <p>
            <Link to={`/debates/${control.debate.id}/contributions`}>Who wrote what in each paper</Link>
          </p>

          <section aria-labelledby="settings-heading">
            <h2 id="settings-heading">Settings</h2>
            <div className="settings">
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="rename-debate" />
                <label>
                  Debate title
                  <input name="title" defaultValue={control.debate.title} maxLength={120} required />
                </label>
                <button type="submit" className="secondary">
                  Rename the debate
                </button>
              </Form>
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
        </div>
        {/* Beside the roster and sticky: the clock and its commands stay on screen while the instructor scrolls. */}
        <div className="control-side">
          <RoundControls round={round} teams={control.teams} />
        </div>
      </div>
    </main>
  );
}
