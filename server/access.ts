import type { SessionInfo } from "../shared/session";
import type { DebateRecord, TeamRecord } from "./store/types";

/**
 * The one place that answers "may this session do X to Y". Pages, form actions, socket.io acks and
 * round commands ask through the guard beside it (server/guard.ts); the /yjs endpoint asks
 * paperAccess directly.
 */

export type PaperAccess = "write" | "read" | "none";

export interface PaperAccessDecision {
  access: PaperAccess;
  /** Shown to the user when they cannot write, e.g. "Papers are locked: Drafting has ended". */
  reason: string | null;
}

type DebateRef = Pick<DebateRecord, "id" | "ownerId">;

/** What a session may do to a debate as a whole. */
export type DebateAction =
  /** Open the debate room: timer, reading, the papers paperAccess allows. */
  | "enter-room"
  /** Pick one's own team, where the debate lets students choose. */
  | "choose-team"
  /** Follow the round's state over socket.io. */
  | "follow-round"
  /** Start, pause, skip or adjust the round. */
  | "control-round"
  /** Control room: codes, teams, settings, students, archive and delete; judging settings and release. */
  | "manage"
  /** Score the papers and submit a ballot in the judge room. */
  | "judge"
  /** Open the results page; what it shows depends on the release stage (server/judging/results-view.ts). */
  | "see-results"
  /** Open the paper snapshots: what judges score and the instructor reviews. */
  | "read-snapshots"
  /** Vote before and after the round from the audience link. */
  | "vote-as-audience";

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const refuse = (reason: string): Decision => ({ allowed: false, reason });

/** Whether the session may create debates and formats: an instructor logged in with an account. */
export function mayCreateDebates(session: SessionInfo): Decision {
  return session.role === "instructor" && session.accountId !== null
    ? allow
    : refuse("Only instructors can do that: log in with your instructor account.");
}

/** Whether the session is the instructor who owns the debate. */
export function ownsDebate(session: SessionInfo, debate: DebateRef): boolean {
  return session.role === "instructor" && session.accountId !== null && debate.ownerId === session.accountId;
}

/** Whether the session joined this very debate (as student, judge or audience). */
function joinedDebate(session: SessionInfo, debate: DebateRef): boolean {
  return session.role !== "instructor" && session.debateId === debate.id;
}

export function mayOnDebate(
  session: SessionInfo,
  action: DebateAction,
  debate: DebateRef & Partial<Pick<DebateRecord, "teamMode">>,
): Decision {
  const owner = ownsDebate(session, debate);
  switch (action) {
    case "enter-room":
    case "follow-round":
      return owner || joinedDebate(session, debate) ? allow : refuse("You are not part of this debate.");
    case "choose-team":
      if (session.role !== "student" || !joinedDebate(session, debate)) return refuse("Only students join a team.");
      return debate.teamMode === "choose" ? allow : refuse("Your instructor puts students on teams in this debate.");
    case "control-round":
      return owner ? allow : refuse("Only this debate's instructor runs the round");
    case "manage":
      return owner ? allow : refuse("Only this debate's instructor can do that.");
    case "judge":
      return session.role === "judge" && joinedDebate(session, debate)
        ? allow
        : refuse("Only this debate's judges score the papers.");
    case "see-results":
      return owner || joinedDebate(session, debate) ? allow : refuse("You are not part of this debate.");
    case "read-snapshots":
      return owner || (session.role === "judge" && joinedDebate(session, debate))
        ? allow
        : refuse("Only this debate's instructor and judges open its snapshots.");
    case "vote-as-audience":
      return session.role === "audience" && joinedDebate(session, debate)
        ? allow
        : refuse("Only the audience of this debate votes.");
  }
}

/**
 * Whether the session may read every judge's ballot: the debate's instructor always, a judge of
 * the debate once their own ballot is submitted (so nobody scores with the others' in view), and
 * nobody else, ever: students and the audience see only what the instructor releases.
 */
export function mayReadBallots(
  session: SessionInfo,
  debate: DebateRef,
  ownBallotStatus: "draft" | "submitted" | null,
): Decision {
  if (ownsDebate(session, debate)) return allow;
  if (session.role === "judge" && joinedDebate(session, debate)) {
    return ownBallotStatus === "submitted" ? allow : refuse("Submit your own ballot first to see the others.");
  }
  return refuse("Ballots are for the judges and the instructor only.");
}

export function mayControlRound(session: SessionInfo, debate: DebateRef): boolean {
  return mayOnDebate(session, "control-round", debate).allowed;
}

/** Whether students may read the other side's paper under the debate's reveal setting. */
export function paperRevealed(debate: Pick<DebateRecord, "revealPolicy">, team: TeamRecord): boolean {
  switch (debate.revealPolicy) {
    case "always":
      return true;
    case "after-lock":
      return team.paperLocked;
    case "never":
      return false;
  }
}

/**
 * Who may open which paper, and how. The endpoint asks again whenever a paper's rules change
 * (lock, reveal setting, a student moved or removed).
 */
export function paperAccess(
  session: SessionInfo,
  debate: Pick<DebateRecord, "id" | "ownerId" | "revealPolicy" | "archivedAt">,
  team: TeamRecord,
): PaperAccessDecision {
  const decision = currentPaperAccess(session, debate, team);
  // An archived debate is a record: whoever could write may read, until the instructor reopens it.
  return debate.archivedAt !== null && decision.access === "write"
    ? { access: "read", reason: "This debate is archived: its papers are read-only" }
    : decision;
}

function currentPaperAccess(
  session: SessionInfo,
  debate: Pick<DebateRecord, "id" | "ownerId" | "revealPolicy">,
  team: TeamRecord,
): PaperAccessDecision {
  if (debate.id !== team.debateId) return { access: "none", reason: "This paper belongs to another debate" };
  if (!ownsDebate(session, debate) && !joinedDebate(session, debate)) {
    return { access: "none", reason: "This paper belongs to another debate" };
  }
  const lockedReason = team.paperLocked
    ? `This paper is locked${team.paperLockReason ? ` since ${team.paperLockReason}` : ""}: only the instructor can change it now`
    : null;
  switch (session.role) {
    case "instructor":
      return { access: "write", reason: null };
    case "student":
      if (session.teamId === team.id) {
        return team.paperLocked ? { access: "read", reason: lockedReason } : { access: "write", reason: null };
      }
      return paperRevealed(debate, team)
        ? { access: "read", reason: "The other team's paper is read-only" }
        : { access: "none", reason: "The other team's paper is not revealed yet" };
    case "judge":
      return { access: "read", reason: "Judges read papers; they do not edit them" };
    case "audience":
      return { access: "none", reason: "The audience view has no papers" };
  }
}
