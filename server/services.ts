import { setTimeout as sleep } from "node:timers/promises";
import {
  type ControlCommand,
  changePasswordSchema,
  chooseTeamSchema,
  controlCommandSchema,
  customDebateSchema,
  firstIssue,
  joinSchema,
  logInSchema,
  signUpSchema,
  TYPING_WINDOW_MS,
} from "../shared/classroom";
import { paperDocumentId } from "../shared/documents";
import { BUILT_IN_FORMATS, CLASSROOM_FORMAT, findBuiltInFormat } from "../shared/formats";
import type { JudgingServices } from "../shared/judging-views";
import { splitParagraphs } from "../shared/reading";
import type { RoundPageServices } from "../shared/round-views";
import type { ParticipantSession, SessionInfo } from "../shared/session";
import type {
  CaucusServices,
  ContributorView,
  ControlView,
  DebateSummary,
  Outcome,
  PaperHealthView,
  PaperView,
  ParticipantView,
  TeamView,
} from "../shared/views";
import { type DebateAction, mayOnDebate, paperAccess } from "./access";
import { decoyHash, hashPassword, verifyPassword } from "./auth/passwords";
import type { SessionCookies } from "./auth/session-cookie";
import {
  combine,
  FailureThrottle,
  JOIN_GLOBAL,
  JOIN_PER_ADDRESS,
  JOIN_PER_CLIENT,
  JOIN_PER_DEBATE,
  LOGIN_PER_ACCOUNT,
  LOGIN_PER_ADDRESS,
  waitMessage,
} from "./auth/throttle";
import { codeNames, publicName } from "./code-names";
import { createDebateFromPack, packFromCustomDebate, unusedJoinCode } from "./debates";
import { newId } from "./ids";
import { ESSAY_PACK } from "./seed/essay-pack";
import type { DebateRecord, Store, TeamRecord } from "./store/types";

/** Caret colours: distinct, dark enough for white labels (WCAG AA), #rrggbb as Tiptap needs. */
const PRESENCE_COLORS = ["#b91c1c", "#047857", "#6d28d9", "#be185d", "#0e7490", "#a16207", "#4338ca", "#15803d"];

/** What the services need of the live connections, to cut or re-decide them when access changes. */
export interface LiveConnections {
  /** Re-decides every open /yjs connection to a document (closing those that lost access). */
  refreshAccess(docId: string): Promise<void>;
  /** Disconnects every socket.io connection of a session at once. */
  disconnectSession(sessionId: string): void;
  /** Session ids connected to a document and when each last changed it. */
  presence(docId: string): Promise<{ sessionId: string; lastEditAt: number | null }[]>;
  /** What a paper holds and its limit, in bytes. */
  size(docId: string): Promise<{ bytes: number; limit: number }>;
  /** Makes a paper's content equal to a snapshot's, as one stored change; open editors follow. */
  restore(docId: string, state: Uint8Array, sessionId: string): Promise<void>;
}

function presenceColor(): string {
  return PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)]!;
}

export const toTeamView = (team: TeamRecord): TeamView => ({
  id: team.id,
  sideIndex: team.sideIndex,
  name: team.name,
  description: team.description,
  color: team.color,
  docId: paperDocumentId(team.id),
});

export const toSummary = (debate: DebateRecord): DebateSummary => ({
  id: debate.id,
  title: debate.title,
  motion: debate.motion,
  formatId: debate.formatId,
  archived: debate.archivedAt !== null,
});

const refused = (status: number, reason: string) => ({ ok: false as const, status, reason });
const NO_SESSION = refused(401, "Log in or join the debate first.");
const NOT_INSTRUCTOR = refused(403, "Only instructors can do that: log in with your instructor account.");

export function createServices(
  store: Store,
  cookies: SessionCookies,
  live: LiveConnections,
): Omit<CaucusServices, keyof RoundPageServices | keyof JudgingServices> {
  const loginPerAccount = new FailureThrottle(LOGIN_PER_ACCOUNT);
  const loginPerAddress = new FailureThrottle(LOGIN_PER_ADDRESS);
  const joinPerClient = new FailureThrottle(JOIN_PER_CLIENT);
  const joinPerAddress = new FailureThrottle(JOIN_PER_ADDRESS);
  const joinGlobal = new FailureThrottle(JOIN_GLOBAL);
  const joinsPerDebate = new FailureThrottle(JOIN_PER_DEBATE);

  async function startAccountSession(accountId: string): Promise<string> {
    const sessionId = newId();
    await store.createAccountSession(sessionId, accountId);
    return cookies.serialize(sessionId);
  }

  /** The debate, if it exists and the session may do `action` to it; else the refusal to answer with. */
  async function debateFor(
    session: SessionInfo | null,
    debateId: string,
    action: DebateAction,
  ): Promise<{ ok: true; debate: DebateRecord; session: SessionInfo } | ReturnType<typeof refused>> {
    if (!session) return NO_SESSION;
    const debate = await store.getDebate(debateId);
    if (!debate) return refused(404, "There is no such debate; it may have been deleted.");
    const decision = mayOnDebate(session, action, debate);
    if (!decision.allowed) return refused(403, decision.reason);
    return { ok: true, debate, session };
  }

  /** Cuts or re-decides every live connection to the debate's papers. */
  async function refreshPapers(debateId: string): Promise<void> {
    const teams = await store.listTeams(debateId);
    await Promise.all(teams.map((team) => live.refreshAccess(paperDocumentId(team.id))));
  }

  async function participantViews(debate: DebateRecord, teams: TeamRecord[]) {
    const participants = await store.listParticipants(debate.id);
    const names = codeNames(participants, teams);
    const presence = new Map<string, { lastEditAt: number | null }>();
    for (const team of teams) {
      for (const entry of await live.presence(paperDocumentId(team.id))) {
        const known = presence.get(entry.sessionId);
        presence.set(entry.sessionId, { lastEditAt: Math.max(known?.lastEditAt ?? 0, entry.lastEditAt ?? 0) || null });
      }
    }
    const now = Date.now();
    return participants.map((session): ParticipantView => {
      const seen = presence.get(session.id);
      return {
        sessionId: session.id,
        displayName: session.displayName,
        codeName: names.get(session.id) ?? null,
        role: session.role,
        teamId: session.teamId,
        online: seen !== undefined,
        typing: seen?.lastEditAt != null && now - seen.lastEditAt < TYPING_WINDOW_MS,
      };
    });
  }

  /** The team with fewest students (lowest side first on a tie). */
  async function smallestTeam(debateId: string, teams: TeamRecord[]): Promise<TeamRecord | undefined> {
    const participants = await store.listParticipants(debateId);
    const size = (team: TeamRecord) =>
      participants.filter((session) => session.role === "student" && session.teamId === team.id).length;
    return [...teams].sort((a, b) => size(a) - size(b) || a.sideIndex - b.sideIndex)[0];
  }

  async function paperHealth(team: TeamRecord): Promise<PaperHealthView> {
    const docId = paperDocumentId(team.id);
    const [size, setAside, snapshots] = await Promise.all([
      live.size(docId),
      store.listQuarantinedUpdates(docId),
      store.listPaperSnapshots(team.id),
    ]);
    return {
      teamId: team.id,
      bytes: size.bytes,
      limitBytes: size.limit,
      setAside: setAside.length,
      snapshots: snapshots.map((snapshot) => ({ id: snapshot.id, name: snapshot.name })),
    };
  }

  async function applyControl(
    session: SessionInfo,
    debate: DebateRecord,
    command: ControlCommand,
  ): Promise<Outcome<{ deleted: boolean }>> {
    const done = { ok: true as const, deleted: false };
    switch (command.intent) {
      case "rotate-code": {
        const value = command.which === "audience" ? newId() : await unusedJoinCode(store);
        await store.setDebateCode(debate.id, command.which, value);
        return done;
      }
      case "team-mode":
        await store.updateDebateSettings(debate.id, { teamMode: command.teamMode });
        return done;
      case "reveal":
        await store.updateDebateSettings(debate.id, { revealPolicy: command.revealPolicy });
        await refreshPapers(debate.id);
        return done;
      case "code-names":
        await store.updateDebateSettings(debate.id, { codeNames: command.codeNames === "on" });
        // Open papers take the new names at once: presence names are decided by the server.
        await refreshPapers(debate.id);
        return done;
      case "archive":
        await store.updateDebateSettings(debate.id, { archivedAt: command.archived === "yes" ? Date.now() : null });
        return done;
      case "delete": {
        const participants = await store.listParticipants(debate.id);
        const teams = await store.listTeams(debate.id);
        await store.deleteDebate(debate.id);
        await Promise.all(teams.map((team) => live.refreshAccess(paperDocumentId(team.id))));
        for (const session of participants) live.disconnectSession(session.id);
        return { ok: true, deleted: true };
      }
      case "restore": {
        const snapshot = await store.getPaperSnapshot(command.snapshotId);
        const team = snapshot && (await store.getTeam(snapshot.teamId));
        if (!snapshot || !team || team.debateId !== debate.id) return refused(404, "No such snapshot in this debate.");
        await live.restore(paperDocumentId(team.id), snapshot.state, session.id);
        return done;
      }
      case "rename":
      case "move":
      case "remove": {
        const target = await store.getSession(command.sessionId);
        if (!target || target.debateId !== debate.id) return refused(404, "That person is not in this debate.");
        if (command.intent === "rename") {
          await store.renameSession(target.id, command.name);
          return done;
        }
        if (command.intent === "move") {
          const team = await store.getTeam(command.teamId);
          if (!team || team.debateId !== debate.id) return refused(404, "No such team in this debate.");
          if (target.role !== "student") return refused(400, "Only students are on teams.");
          await store.setSessionTeam(target.id, team.id);
          await refreshPapers(debate.id);
          return done;
        }
        await store.deleteSession(target.id);
        live.disconnectSession(target.id);
        await refreshPapers(debate.id);
        return done;
      }
    }
  }

  return {
    async signUp(fields) {
      const parsed = signUpSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      const accountId = newId();
      const created = await store.createAccount({
        id: accountId,
        name: parsed.data.name,
        email: parsed.data.email,
        passwordHash: await hashPassword(parsed.data.password),
      });
      if (!created) return refused(409, "An account with that email already exists: log in instead.");
      await store.claimUnownedDebates(accountId);
      return { ok: true, setCookie: await startAccountSession(accountId) };
    },

    async logIn(fields, client) {
      const parsed = logInSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      const accountKey = `${client.address} ${parsed.data.email}`;
      const verdict = combine([loginPerAccount.check(accountKey), loginPerAddress.check(client.address)]);
      if (!verdict.allowed) {
        return refused(429, `Too many failed log-ins. Try again in ${waitMessage(verdict.retryAfterMs)}.`);
      }
      await sleep(verdict.delayMs);
      const account = await store.findAccountByEmail(parsed.data.email);
      const matches = await verifyPassword(parsed.data.password, account?.passwordHash ?? (await decoyHash()));
      if (!account || !matches) {
        loginPerAccount.fail(accountKey);
        loginPerAddress.fail(client.address);
        return refused(401, "That email and password do not match an account.");
      }
      loginPerAccount.reset(accountKey);
      return { ok: true, setCookie: await startAccountSession(account.id) };
    },

    async logOut(session) {
      if (session?.role === "instructor") await store.deleteAccountSession(session.id);
      return { setCookie: cookies.clear() };
    },

    async changePassword(session, fields) {
      if (!session) return NO_SESSION;
      if (session.role !== "instructor" || !session.accountId) return NOT_INSTRUCTOR;
      const parsed = changePasswordSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      const account = await store.getAccount(session.accountId);
      if (!account || !(await verifyPassword(parsed.data.currentPassword, account.passwordHash))) {
        return refused(400, "Your current password is not right.");
      }
      await store.setAccountPassword(account.id, await hashPassword(parsed.data.newPassword));
      await store.deleteOtherAccountSessions(account.id, session.id);
      return { ok: true };
    },

    async dashboard(session) {
      if (!session) return NO_SESSION;
      if (session.role !== "instructor" || !session.accountId) return NOT_INSTRUCTOR;
      const account = await store.getAccount(session.accountId);
      if (!account) return NO_SESSION;
      const debates = await store.listDebatesOwnedBy(account.id);
      return {
        ok: true,
        view: {
          account: { name: account.name, email: account.email },
          debates: debates.map((debate) => ({
            ...toSummary(debate),
            createdAt: debate.createdAt,
            studentCode: debate.studentCode,
          })),
          formats: BUILT_IN_FORMATS.map(({ id, name }) => ({ id, name })),
        },
      };
    },

    async startFromEssay(session) {
      if (!session) return NO_SESSION;
      if (session.role !== "instructor" || !session.accountId) return NOT_INSTRUCTOR;
      const debate = await createDebateFromPack(store, ESSAY_PACK, {
        ownerId: session.accountId,
        formatId: CLASSROOM_FORMAT.id,
        teamMode: "choose",
      });
      return { ok: true, debateId: debate.id };
    },

    async createCustomDebate(session, fields) {
      if (!session) return NO_SESSION;
      if (session.role !== "instructor" || !session.accountId) return NOT_INSTRUCTOR;
      const parsed = customDebateSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      if (!findBuiltInFormat(parsed.data.formatId)) return refused(400, "Pick one of the formats offered.");
      const debate = await createDebateFromPack(store, packFromCustomDebate(parsed.data), {
        ownerId: session.accountId,
        formatId: parsed.data.formatId,
        teamMode: "choose",
      });
      return { ok: true, debateId: debate.id };
    },

    async join(session, fields, client) {
      const parsed = joinSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      const verdict = combine([
        joinPerClient.check(client.clientId),
        joinPerAddress.check(client.address),
        joinGlobal.check("all"),
      ]);
      if (!verdict.allowed) {
        return refused(
          429,
          `Too many wrong join codes from here. Wait ${waitMessage(verdict.retryAfterMs)}, then check the code with your instructor.`,
        );
      }
      await sleep(verdict.delayMs);
      const found = await store.findDebateByJoinCode(parsed.data.code);
      if (!found) {
        joinPerClient.fail(client.clientId);
        joinPerAddress.fail(client.address);
        joinGlobal.fail("all");
        return refused(400, "No debate has that join code. Check it with your instructor.");
      }
      const { debate, role } = found;
      if (debate.archivedAt !== null) return refused(410, "This debate is archived: it no longer takes new people.");
      if (session && session.role === role && session.debateId === debate.id) {
        return { ok: true, debateId: debate.id, setCookie: null };
      }
      const flood = joinsPerDebate.check(debate.id);
      if (!flood.allowed) return refused(429, "This debate is taking too many joins at once; try again in a minute.");
      joinsPerDebate.fail(debate.id);
      const teams = await store.listTeams(debate.id);
      const team =
        role === "student" && debate.teamMode === "balance" ? await smallestTeam(debate.id, teams) : undefined;
      const participant: ParticipantSession = {
        id: newId(),
        role,
        displayName: parsed.data.name,
        debateId: debate.id,
        accountId: null,
        teamId: team?.id ?? null,
        color: presenceColor(),
      };
      await store.createSession(participant);
      return { ok: true, debateId: debate.id, setCookie: cookies.serialize(participant.id) };
    },

    async watch(session, audienceKey) {
      const debate = await store.findDebateByAudienceKey(audienceKey);
      if (!debate) return refused(404, "This audience link is not valid; ask for the current one.");
      const staying =
        session?.role === "instructor" || (session?.role === "audience" && session.debateId === debate.id);
      if (staying) return { ok: true, debateId: debate.id, setCookie: null };
      const audience: ParticipantSession = {
        id: newId(),
        role: "audience",
        displayName: "Audience",
        debateId: debate.id,
        accountId: null,
        teamId: null,
        color: presenceColor(),
      };
      await store.createSession(audience);
      return { ok: true, debateId: debate.id, setCookie: cookies.serialize(audience.id) };
    },

    async roomView(maybeSession, debateId) {
      const found = await debateFor(maybeSession, debateId, "enter-room");
      if (!found.ok) return found;
      const { debate, session } = found;
      const teams = await store.listTeams(debateId);
      const papers: PaperView[] = [];
      for (const team of teams) {
        const { access, reason } = paperAccess(session, debate, team);
        if (access !== "none") papers.push({ team: toTeamView(team), access, reason });
      }
      papers.sort((a, b) => Number(b.team.id === session.teamId) - Number(a.team.id === session.teamId));
      return {
        ok: true,
        view: {
          debate: toSummary(debate),
          reading: {
            title: debate.readingTitle,
            credit: debate.readingCredit,
            paragraphs: splitParagraphs(debate.readingText),
          },
          me: {
            displayName: session.displayName,
            publicName: await publicName(store, session, debate),
            role: session.role,
            color: session.color,
            teamId: session.teamId,
          },
          teamMode: debate.teamMode,
          teams: teams.map(toTeamView),
          papers,
        },
      };
    },

    async chooseTeam(maybeSession, debateId, fields) {
      const found = await debateFor(maybeSession, debateId, "enter-room");
      if (!found.ok) return found;
      const { debate, session } = found;
      if (session.role !== "student") return refused(403, "Only students join a team.");
      if (debate.teamMode !== "choose") return refused(403, "Your instructor puts students on teams in this debate.");
      if (session.teamId) return refused(409, "You are already on a team; ask your instructor to move you.");
      const parsed = chooseTeamSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      const team = await store.getTeam(parsed.data.teamId);
      if (!team || team.debateId !== debate.id) return refused(400, "No such team in this debate.");
      await store.setSessionTeam(session.id, team.id);
      return { ok: true };
    },

    async contributionsView(session, debateId) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const { debate } = found;
      const teams = await store.listTeams(debateId);
      const perTeam = await Promise.all(teams.map((team) => store.listContributions(paperDocumentId(team.id))));
      const allMinutes = perTeam.flat().map((record) => record.minuteStart);
      const first = Math.min(...allMinutes);
      const minutes =
        allMinutes.length === 0
          ? []
          : Array.from(
              { length: (Math.max(...allMinutes) - first) / 60_000 + 1 },
              (_, index) => first + index * 60_000,
            );
      const names = new Map<string, string>();
      for (const record of perTeam.flat()) {
        if (!names.has(record.sessionId)) {
          names.set(record.sessionId, (await store.getSession(record.sessionId))?.displayName ?? "Removed student");
        }
      }
      const papers = teams.map((team, index) => {
        const bySession = new Map<string, ContributorView>();
        for (const record of perTeam[index]!) {
          const contributor = bySession.get(record.sessionId) ?? {
            sessionId: record.sessionId,
            displayName: names.get(record.sessionId)!,
            inserted: 0,
            deleted: 0,
            insertedPerMinute: minutes.map(() => 0),
          };
          contributor.inserted += record.inserted;
          contributor.deleted += record.deleted;
          contributor.insertedPerMinute[(record.minuteStart - first) / 60_000]! += record.inserted;
          bySession.set(record.sessionId, contributor);
        }
        const contributors = [...bySession.values()].sort((a, b) => b.inserted - a.inserted);
        return { team: toTeamView(team), contributors };
      });
      return { ok: true, view: { debate: toSummary(debate), minutes, papers } };
    },

    async controlView(session, debateId) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const { debate } = found;
      const teams = await store.listTeams(debateId);
      const people = await participantViews(debate, teams);
      const view: ControlView = {
        debate: toSummary(debate),
        studentCode: debate.studentCode,
        judgeCode: debate.judgeCode,
        audienceKey: debate.audienceKey,
        teamMode: debate.teamMode,
        revealPolicy: debate.revealPolicy,
        codeNames: debate.codeNames,
        teams: teams.map(toTeamView),
        papers: await Promise.all(teams.map(paperHealth)),
        students: people.filter((person) => person.role === "student"),
        judges: people.filter((person) => person.role === "judge"),
        audienceCount: people.filter((person) => person.role === "audience").length,
      };
      return { ok: true, view };
    },

    async control(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = controlCommandSchema.safeParse(fields);
      if (!parsed.success) return refused(400, firstIssue(parsed.error));
      return applyControl(found.session, found.debate, parsed.data);
    },
  };
}
