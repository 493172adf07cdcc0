import type { $ZodError } from "zod/v4/core";

/**
 * The one answer shape of the server: services, pages, form actions, socket.io acks and round
 * commands. A refusal carries the HTTP status a page answers with and a message for the person.
 */
export type Refused = { ok: false; status: number; reason: string };
export type Outcome<T extends object = object> = ({ ok: true } & T) | Refused;

export const refused = (status: number, reason: string): Refused => ({ ok: false, status, reason });

/** The one wording of "not found", whatever is missing: "There is no such debate; it may have been deleted." */
export const notFound = (what: string, where = ""): Refused =>
  refused(404, `There is no such ${what}${where ? ` in ${where}` : ""}; it may have been deleted.`);

/** ["phases", 0, "signals"] → "phase 1, signals": a zod path in the words a person reads. */
function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let index = 0; index < path.length; index++) {
    const key = path[index];
    const next = path[index + 1];
    if (typeof key === "string" && typeof next === "number") {
      parts.push(`${key.replace(/s$/, "")} ${next + 1}`);
      index++;
    } else if (typeof key !== "number") {
      parts.push(String(key));
    }
  }
  return parts.join(", ");
}

/**
 * The one wording of a zod issue: the schema's own message for a form field ("Give every side a
 * name."), or "What: where: message" for structured input (`what` names the thing that is not valid).
 */
function firstIssue(error: $ZodError, what?: string): string {
  const issue = error.issues[0];
  if (!issue) return what ? `${what}: check it and try again.` : "Check the form and try again.";
  if (!what) return issue.message;
  const where = describePath(issue.path);
  return where ? `${what}: ${where}: ${issue.message}` : `${what}: ${issue.message}`;
}

/** A zod failure as the 400 refusal to answer with. */
export const invalid = (error: $ZodError, what?: string): Refused => refused(400, firstIssue(error, what));
