import { SessionCookies } from "../../server/auth/session-cookie";
import { newId } from "../../server/ids";
import type { Store } from "../../server/store/types";

/**
 * For a server in another process: a student session written straight into the store it reads,
 * returned as the cookie header that server accepts (signed with its SESSION_SECRET).
 */
export function studentCookies(store: Store, secret: string) {
  const cookies = new SessionCookies(secret, false);
  return async (session: { debateId: string; teamId: string; displayName?: string }): Promise<string> => {
    const id = newId();
    await store.createSession({
      id,
      role: "student",
      accountId: null,
      displayName: session.displayName ?? `Student ${id.slice(0, 4)}`,
      debateId: session.debateId,
      teamId: session.teamId,
      color: "#047857",
    });
    return cookies.serialize(id).split(";")[0]!;
  };
}
