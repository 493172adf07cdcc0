import { notFound, type Outcome, refused } from "../shared/outcome";
import type { SessionInfo } from "../shared/session";
import { type DebateAction, mayCreateDebates, mayOnDebate } from "./access";
import type { DebateRecord, Store } from "./store/types";

export const NO_SESSION = refused(401, "Log in or join the debate first.");

type DebateGuard = (
  session: SessionInfo | null,
  debateId: string,
  action: DebateAction,
) => Promise<Outcome<{ session: SessionInfo; debate: DebateRecord }>>;

/**
 * The one guard in front of every debate route, form action, socket.io ack and round command: the
 * debate, if it exists and server/access.ts lets the session do `action` to it; else the refusal
 * to answer with (401 without a session, 404 without the debate, 403 with access's reason).
 */
export function debateGuard(store: Pick<Store, "getDebate">): DebateGuard {
  return async function requireDebate(session, debateId, action) {
    if (!session) return NO_SESSION;
    const debate = await store.getDebate(debateId);
    if (!debate) return notFound("debate");
    const decision = mayOnDebate(session, action, debate);
    return decision.allowed ? { ok: true, session, debate } : refused(403, decision.reason);
  };
}

/** The guard for what is not about one debate yet: creating debates, choosing formats. */
export function requireInstructor(session: SessionInfo | null): Outcome<{ session: SessionInfo; accountId: string }> {
  if (!session) return NO_SESSION;
  const decision = mayCreateDebates(session);
  if (!decision.allowed) return refused(403, decision.reason);
  // mayCreateDebates allows only sessions with an account; the check narrows the type.
  return session.accountId === null
    ? refused(403, "Log in with your instructor account.")
    : { ok: true, session, accountId: session.accountId };
}
