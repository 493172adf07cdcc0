import { setTimeout as sleep } from "node:timers/promises";
import { changePasswordSchema, logInSchema, signUpSchema } from "../../shared/classroom/rules";
import { invalid, refused } from "../../shared/outcome";
import type { CaucusServices } from "../../shared/services";
import {
  addressKey,
  Limit,
  LOGIN_PER_ACCOUNT,
  LOGIN_PER_ADDRESS,
  LOGIN_PER_ADDRESS_AND_ACCOUNT,
  refund,
  type SharedLimits,
  SIGNUP_PER_ADDRESS,
  spend,
  waitMessage,
} from "../auth/limits";
import { decoyHash, hashPassword, verifyPassword } from "../auth/passwords";
import type { SessionCookies } from "../auth/session-cookie";
import { requireInstructor } from "../guard";
import { newId } from "../ids";
import type { Store } from "../store/types";
import type { LiveConnections } from "./live-connections";

/** Instructor accounts: sign-up, log-in (throttled), log-out and password change. */
export function createAccountServices(
  store: Store,
  cookies: SessionCookies,
  live: Pick<LiveConnections, "endSession" | "controlChanged">,
  sharedLimits: SharedLimits | null,
): Pick<CaucusServices, "signUp" | "logIn" | "logOut" | "changePassword"> {
  const loginPerAddressAndAccount = new Limit(LOGIN_PER_ADDRESS_AND_ACCOUNT, sharedLimits);
  const loginPerAccount = new Limit(LOGIN_PER_ACCOUNT, sharedLimits);
  const loginPerAddress = new Limit(LOGIN_PER_ADDRESS, sharedLimits);
  const signUpPerAddress = new Limit(SIGNUP_PER_ADDRESS, sharedLimits);

  async function startAccountSession(accountId: string): Promise<string> {
    const sessionId = newId();
    await store.createAccountSession(sessionId, accountId);
    return cookies.serialize(sessionId);
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
  };
}
