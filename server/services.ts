import { setTimeout as sleep } from "node:timers/promises";
import {
  type ControlCommand,
  changePasswordSchema,
  chooseTeamSchema,
  controlCommandSchema,
  customDebateSchema,
  DEFAULT_TEAM_MODE,
  joinSchema,
  logInSchema,
  sameName,
  signUpSchema,
  TYPING_WINDOW_MS,
} from "../shared/classroom";
import { paperDocumentId } from "../shared/documents";
import { BUILT_IN_FORMATS, CLASSROOM_FORMAT, findBuiltInFormat } from "../shared/formats";
import type { JudgingServices } from "../shared/judging-views";
import { invalid, notFound, type Outcome, refused } from "../shared/outcome";
import { readingBlocks } from "../shared/reading";
import type { RoundPageServices } from "../shared/round-views";
import type { CaucusServices } from "../shared/services";
import type { ParticipantSession, SessionInfo } from "../shared/session";
import type { ContributorView, ControlView, PaperHealthView, PaperView, ParticipantView } from "../shared/views";
import { paperAccess } from "./access";
import {
  AUDIENCE_PER_ADDRESS,
  addressKey,
  JOIN_GLOBAL,
  JOIN_PER_ADDRESS,
  JOIN_PER_BROWSER,
  JOIN_PER_DEBATE,
  Limit,
  LOGIN_PER_ACCOUNT,
  LOGIN_PER_ADDRESS,
  LOGIN_PER_ADDRESS_AND_ACCOUNT,
  refund,
  type SharedLimits,
  SIGNUP_PER_ADDRESS,
  spend,
  waitMessage,
} from "./auth/limits";
import { decoyHash, hashPassword, verifyPassword } from "./auth/passwords";
import type { SessionCookies } from "./auth/session-cookie";
import { codeNames, publicName } from "./code-names";
import { createDebateFromPack, packFromCustomDebate, unusedJoinCode } from "./debates";
import { debateGuard, NO_SESSION, requireInstructor } from "./guard";
import { newId } from "./ids";
import { ESSAY_PACK } from "./seed/essay-pack";
import type { DebateRecord, Store, TeamRecord } from "./store/types";
import { toSummary, toTeamView } from "./views";

/** Caret colours: distinct, dark enough for white labels (WCAG AA), #rrggbb as Tiptap needs. */
const PRESENCE_COLORS = ["#b91c1c", "#047857", "#6d28d9", "#be185d", "#0e7490", "#a16207", "#4338ca", "#15803d"];

/** What the services need of the live connections, to cut or re-decide them when access changes. */
export interface LiveConnections {
  /** Re-decides every open /yjs connection to a document (closing those that lost access). */
  refreshAccess(docId: string): Promise<void>;
  /** Closes every /yjs and socket.io connection of a session at once: the one way a session ends live. */
  endSession(sessionId: string): void;
  /** Session ids connected to a document and when each last changed it. */
  presence(docId: string): Promise<{ sessionId: string; lastEditAt: number | null }[]>;
  /** What a paper holds and its limit, in bytes. */
  size(docId: string): Promise<{ bytes: number; limit: number }>;
  /** Makes a paper's content equal to a snapshot's, as one stored change; open editors follow. */
  restore(docId: string, state: Uint8Array, sessionId: string): Promise<void>;
  /** Session ids following the debate's round (socket.io): a judge in the judge room is online. */
  followers(debateId: string): Promise<string[]>;
  /** Something the debate's control room shows has changed: its live channel pushes the view again. */
  controlChanged(debateId: string): void;
}

/** 1 for `base` itself, n for `base (n)`, else null: which copy of a ready debate a title names. */
function copyNumber(base: string, title: string): number | null {
  if (title === base) return 1;
  const copy = title.startsWith(`${base} (`) ? /^\((\d+)\)$/.exec(title.slice(base.length + 1)) : null;
  return copy ? Number(copy[1]) : null;
}

/** `base`, or `base (n)` with n one past the highest copy number among `taken`. */
export function nextCopyTitle(base: string, taken: string[]): string {
  const highest = Math.max(0, ...taken.map((title) => copyNumber(base, title) ?? 0));
  return highest === 0 ? base : `${base} (${highest + 1})`;
}

function presenceColor(): string {
  return PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)]!;
}

export function createServices(
  store: Store,
  cookies: SessionCookies,
  live: LiveConnections,
  sharedLimits: SharedLimits | null = null,
): Omit<CaucusServices, keyof RoundPageServices | keyof JudgingServices> {
  const loginPerAddressAndAccount = new Limit(LOGIN_PER_ADDRESS_AND_ACCOUNT, sharedLimits);
  const loginPerAccount = new Limit(LOGIN_PER_ACCOUNT, sharedLimits);
  const loginPerAddress = new Limit(LOGIN_PER_ADDRESS, sharedLimits);
  const signUpPerAddress = new Limit(SIGNUP_PER_ADDRESS, sharedLimits);
  const joinPerBrowser = new Limit(JOIN_PER_BROWSER, sharedLimits);
  const joinPerAddress = new Limit(JOIN_PER_ADDRESS, sharedLimits);
  const joinGlobal = new Limit(JOIN_GLOBAL, sharedLimits);
  const joinsPerDebate = new Limit(JOIN_PER_DEBATE, sharedLimits);
  const audiencePerAddress = new Limit(AUDIENCE_PER_ADDRESS, sharedLimits);

  async function startAccountSession(accountId: string): Promise<string> {
    const sessionId = newId();
    await store.createAccountSession(sessionId, accountId);
    return cookies.serialize(sessionId);
  }

  const debateFor = debateGuard(store);

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
    for (const sessionId of await live.followers(debate.id)) {
      if (!presence.has(sessionId)) presence.set(sessionId, { lastEditAt: null });
    }
    const ballots = new Map(
      (await store.listBallots(debate.id)).map((ballot) => [ballot.judgeSessionId, ballot.status]),
    );
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
        ballot: session.role === "judge" ? (ballots.get(session.id) ?? null) : null,
      };
    });
  }

  /** Students and judges sharing a name, or sharing a browser: what a second identity looks like. */
  async function rosterDoubts(debateId: string, people: ParticipantView[]): Promise<ControlView["doubts"]> {
    const named = people.filter((person) => person.role !== "audience");
    const doubts: ControlView["doubts"] = [];
    const seen = new Set<string>();
    for (const person of named) {
      if (seen.has(person.sessionId)) continue;
      const same = named.filter((other) => sameName(other.displayName, person.displayName));
      for (const other of same) seen.add(other.sessionId);
      if (same.length > 1) doubts.push({ kind: "same-name", names: same.map((other) => other.displayName) });
    }
    const nameOf = new Map(named.map((person) => [person.sessionId, person.displayName]));
    const byDevice = new Map<string, string[]>();
    for (const { sessionId, deviceId } of await store.listSessionDevices(debateId)) {
      const name = nameOf.get(sessionId);
      if (name !== undefined) byDevice.set(deviceId, [...(byDevice.get(deviceId) ?? []), name]);
    }
    for (const names of byDevice.values()) if (names.length > 1) doubts.push({ kind: "same-browser", names });
    return doubts;
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
      case "let-back":
        if (!(await store.liftBan(debate.id, command.banId))) return notFound("removal", "this debate");
        return done;
      case "rename-debate":
        await store.updateDebateSettings(debate.id, { title: command.title });
        return done;
      case "archive":
        await store.updateDebateSettings(debate.id, { archivedAt: command.archived === "yes" ? Date.now() : null });
        // Writers become readers at once (and back when the debate is reopened).
        await refreshPapers(debate.id);
        return done;
      case "delete": {
        const participants = await store.listParticipants(debate.id);
        const teams = await store.listTeams(debate.id);
        await store.deleteDebate(debate.id);
        await Promise.all(teams.map((team) => live.refreshAccess(paperDocumentId(team.id))));
        for (const session of participants) live.endSession(session.id);
        return { ok: true, deleted: true };
      }
      case "restore": {
        const snapshot = await store.getPaperSnapshot(command.snapshotId);
        const team = snapshot && (await store.getTeam(snapshot.teamId));
        if (!snapshot || !team || team.debateId !== debate.id) return notFound("snapshot", "this debate");
        await live.restore(paperDocumentId(team.id), snapshot.state, session.id);
        return done;
      }
      case "rename": {
        const target = await store.getSession(command.sessionId);
        if (!target || target.debateId !== debate.id) return refused(404, "That person is not in this debate.");
        await store.renameSession(target.id, command.name);
        return done;
      }
      case "move":
      case "move-many": {
        const ids = command.intent === "move" ? [command.sessionId] : command.sessionIds;
        const team = await store.getTeam(command.teamId);
        if (!team || team.debateId !== debate.id) return notFound("team", "this debate");
        const targets = await peopleOf(debate, ids);
        if (!targets.ok) return targets;
        if (targets.people.some((target) => target.role !== "student"))
          return refused(400, "Only students are on teams.");
        for (const target of targets.people) await store.setSessionTeam(target.id, team.id);
        await refreshPapers(debate.id);
        return done;
      }
      case "remove":
      case "remove-many": {
        const targets = await peopleOf(debate, command.intent === "remove" ? [command.sessionId] : command.sessionIds);
        if (!targets.ok) return targets;
        const devices = await store.listSessionDevices(debate.id);
        for (const target of targets.people) {
          // Removal keeps that browser out until the instructor lets it back (decision 084).
          const device = devices.find((entry) => entry.sessionId === target.id);
          if (device) {
            await store.banDevice({
              id: newId(),
              debateId: debate.id,
              deviceId: device.deviceId,
              displayName: target.displayName,
            });
          }
          await store.deleteSession(target.id);
          live.endSession(target.id);
        }
        await refreshPapers(debate.id);
        return done;
      }
    }
  }

  /** Every one of `ids` must be a participant of the debate, or nothing is done. */
  async function peopleOf(debate: DebateRecord, ids: string[]): Promise<Outcome<{ people: ParticipantSession[] }>> {
    const people: ParticipantSession[] = [];
    for (const id of ids) {
      const target = await store.getSession(id);
      if (!target || target.role === "instructor" || target.debateId !== debate.id) {
        return refused(404, "That person is not in this debate.");
      }
      people.push(target as ParticipantSession);
    }
    return { ok: true, people };
  }

  return {
    async signUp(fields, client) {
      const parsed = signUpSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const verdict = await spend([[signUpPerAddress, addressKey(client.address)]]);
      if (!verdict.allowed) {
        return refused(429, `Too many sign-ups from here. Try again in ${waitMessage(verdict.retryAfterMs)}.`);
      }
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
      if (!parsed.success) return invalid(parsed.error);
      const address = addressKey(client.address);
      const email = parsed.data.email;
      const budgets: [Limit, string][] = [
        [loginPerAddressAndAccount, `${address} ${email}`],
        [loginPerAccount, email],
        [loginPerAddress, address],
      ];
      const verdict = await spend(budgets);
      if (!verdict.allowed) {
        return refused(429, `Too many failed log-ins. Try again in ${waitMessage(verdict.retryAfterMs)}.`);
      }
      await sleep(verdict.delayMs);
      const account = await store.findAccountByEmail(email);
      const matches = await verifyPassword(parsed.data.password, account?.passwordHash ?? (await decoyHash()));
      if (!account || !matches) return refused(401, "That email and password do not match an account.");
      refund(budgets);
      return { ok: true, setCookie: await startAccountSession(account.id) };
    },

    async logOut(session) {
      if (session?.role === "instructor") await store.deleteAccountSession(session.id);
      // A participant's session stays on the roster (and a judge's ballot with it); its live connections end.
      if (session) live.endSession(session.id);
      if (session?.debateId) live.controlChanged(session.debateId);
      return { setCookie: cookies.clear() };
    },

    async changePassword(session, fields) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      const parsed = changePasswordSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const account = await store.getAccount(instructor.accountId);
      if (!account || !(await verifyPassword(parsed.data.currentPassword, account.passwordHash))) {
        return refused(400, "Your current password is not right.");
      }
      await store.setAccountPassword(account.id, await hashPassword(parsed.data.newPassword));
      for (const ended of await store.deleteOtherAccountSessions(account.id, instructor.session.id))
        live.endSession(ended);
      return { ok: true };
    },

    async dashboard(session) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      const account = await store.getAccount(instructor.accountId);
      if (!account) return NO_SESSION;
      const debates = await store.listDebatesOwnedBy(account.id);
      return {
        ok: true,
        view: {
          account: { name: account.name, email: account.email },
          debates: await Promise.all(
            debates.map(async (debate) => ({
              ...toSummary(debate),
              createdAt: debate.createdAt,
              studentCode: debate.studentCode,
              studentCount: (await store.listParticipants(debate.id)).filter((person) => person.role === "student")
                .length,
            })),
          ),
          formats: BUILT_IN_FORMATS.map(({ id, name }) => ({ id, name })),
          essay: {
            title: ESSAY_PACK.title,
            copies: debates.filter((debate) => copyNumber(ESSAY_PACK.title, debate.title) !== null).length,
          },
        },
      };
    },

    async startFromEssay(session) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      // Each copy gets its own name ("… (2)", "… (3)"), so a teacher's list tells them apart.
      const title = nextCopyTitle(
        ESSAY_PACK.title,
        (await store.listDebatesOwnedBy(instructor.accountId)).map((debate) => debate.title),
      );
      const debate = await createDebateFromPack(
        store,
        { ...ESSAY_PACK, title },
        {
          ownerId: instructor.accountId,
          formatId: CLASSROOM_FORMAT.id,
          teamMode: DEFAULT_TEAM_MODE,
        },
      );
      return { ok: true, debateId: debate.id };
    },

    async createCustomDebate(session, fields) {
      const instructor = requireInstructor(session);
      if (!instructor.ok) return instructor;
      const parsed = customDebateSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      if (!findBuiltInFormat(parsed.data.formatId)) return refused(400, "Pick one of the formats offered.");
      const debate = await createDebateFromPack(store, packFromCustomDebate(parsed.data), {
        ownerId: instructor.accountId,
        formatId: parsed.data.formatId,
        teamMode: DEFAULT_TEAM_MODE,
      });
      return { ok: true, debateId: debate.id };
    },

    async join(session, fields, client) {
      const parsed = joinSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const budgets: [Limit, string][] = [
        [joinPerBrowser, client.clientId],
        [joinPerAddress, addressKey(client.address)],
        [joinGlobal, "all"],
      ];
      const verdict = await spend(budgets);
      if (!verdict.allowed) {
        return refused(
          429,
          `Too many wrong join codes from here. Wait ${waitMessage(verdict.retryAfterMs)}, then check the code with your instructor.`,
        );
      }
      await sleep(verdict.delayMs);
      const found = await store.findDebateByJoinCode(parsed.data.code);
      if (!found) return refused(400, "No debate has that join code. Check it with your instructor.");
      refund(budgets);
      const { debate, role } = found;
      if (debate.archivedAt !== null) return refused(410, "This debate is archived: it no longer takes new people.");
      if (session && session.role === role && session.debateId === debate.id) {
        return { ok: true, debateId: debate.id, role, setCookie: null };
      }
      if (await store.isDeviceBanned(debate.id, client.clientId)) {
        return refused(403, "Your instructor removed you from this debate. Ask them to let you back in.");
      }
      const owner = debate.ownerId ? await store.getAccount(debate.ownerId) : undefined;
      if (owner && sameName(owner.name, parsed.data.name)) {
        return refused(400, "That is your instructor's name; use your own.");
      }
      const flood = await spend([[joinsPerDebate, debate.id]]);
      if (!flood.allowed) return refused(429, "This debate is taking too many joins at once; try again in a minute.");
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
      await store.setSessionDevice(participant.id, client.clientId);
      live.controlChanged(debate.id);
      return { ok: true, debateId: debate.id, role, setCookie: cookies.serialize(participant.id) };
    },

    async watch(session, audienceKey, replace, client) {
      const debate = await store.findDebateByAudienceKey(audienceKey);
      if (!debate) return refused(404, "This audience link is not valid; ask for the current one.");
      const staying =
        session?.role === "instructor" || (session?.role === "audience" && session.debateId === debate.id);
      if (staying) return { ok: true, debateId: debate.id, setCookie: null, confirm: null };
      if (session && !replace) {
        return {
          ok: true,
          debateId: debate.id,
          setCookie: null,
          confirm: { debateTitle: debate.title, currentRole: session.role, currentDebateId: session.debateId },
        };
      }
      // One audience session per browser: dropping the session cookie brings the same one back (one vote).
      const ofDevice = (await store.listSessionDevices(debate.id)).filter(
        (entry) => entry.deviceId === client.clientId,
      );
      for (const { sessionId } of ofDevice) {
        const known = await store.getSession(sessionId);
        if (known?.role === "audience") {
          return { ok: true, debateId: debate.id, setCookie: cookies.serialize(known.id), confirm: null };
        }
      }
      const budget = await spend([[audiencePerAddress, addressKey(client.address)]]);
      if (!budget.allowed) {
        return refused(
          429,
          `Too many new audience members from here. Try again in ${waitMessage(budget.retryAfterMs)}.`,
        );
      }
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
      await store.setSessionDevice(audience.id, client.clientId);
      live.controlChanged(debate.id);
      return { ok: true, debateId: debate.id, setCookie: cookies.serialize(audience.id), confirm: null };
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
            blocks: readingBlocks(debate.readingText),
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
      const found = await debateFor(maybeSession, debateId, "choose-team");
      if (!found.ok) return found;
      const { debate, session } = found;
      if (session.teamId) return refused(409, "You are already on a team; ask your instructor to move you.");
      const parsed = chooseTeamSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const team = await store.getTeam(parsed.data.teamId);
      if (!team || team.debateId !== debate.id) return refused(400, "No such team in this debate.");
      await store.setSessionTeam(session.id, team.id);
      live.controlChanged(debate.id);
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
        releaseStage: (await store.getJudgingSettings(debateId))?.releaseStage ?? "none",
        doubts: await rosterDoubts(debate.id, people),
        removed: (await store.listBans(debateId)).map((ban) => ({
          banId: ban.id,
          displayName: ban.displayName,
          removedAt: ban.bannedAt,
        })),
      };
      return { ok: true, view };
    },

    async control(session, debateId, fields) {
      const found = await debateFor(session, debateId, "manage");
      if (!found.ok) return found;
      const parsed = controlCommandSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const result = await applyControl(found.session, found.debate, parsed.data);
      if (result.ok && !result.deleted) live.controlChanged(debateId);
      return result;
    },
  };
}
