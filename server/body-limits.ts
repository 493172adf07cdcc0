import type { NextFunction, Request, Response } from "express";
import { MAX_READING_LENGTH } from "../shared/classroom/rules";

const KIB = 1024;
export const DEFAULT_BODY_LIMIT = 64 * KIB;

/**
 * Forms that need more than the default: the custom-debate form carries a reading (up to
 * MAX_READING_LENGTH characters, each at most 9 bytes once percent-encoded), the judge room a whole
 * ballot of comments, the format and rubric editors a document each. Paths may end in ".data"
 * (Remix single fetch posts there).
 */
const LARGER_LIMITS: [RegExp, number][] = [
  [/^\/debates\/new(?:\.data)?$/, MAX_READING_LENGTH * 9 + 64 * KIB],
  [/^\/debates\/[A-Za-z0-9_-]+\/judge(?:\.data)?$/, 1024 * KIB],
  [/^\/debates\/[A-Za-z0-9_-]+\/(?:formats|rubric)(?:\.data)?$/, 256 * KIB],
];

const WITHOUT_BODY = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_TYPE = "application/x-www-form-urlencoded";

export function bodyLimitFor(path: string): number {
  return LARGER_LIMITS.find(([pattern]) => pattern.test(path))?.[1] ?? DEFAULT_BODY_LIMIT;
}

/**
 * Checked before Remix reads a byte: every page form posts URL-encoded fields with a declared
 * length, so anything else is refused at once (400 wrong type, 411 no length, 413 too large) and
 * the body is never read. Node's HTTP parser then delivers at most Content-Length bytes, so the
 * declared length is the bound on what Remix can buffer.
 */
function refusalOf(request: Request): [number, string] | null {
  if (WITHOUT_BODY.has(request.method)) return null;
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== FORM_TYPE) return [400, "Send the form as application/x-www-form-urlencoded."];
  if (request.headers["transfer-encoding"] !== undefined || request.headers["content-length"] === undefined) {
    return [411, "Send the form with a Content-Length."];
  }
  const length = Number(request.headers["content-length"]);
  if (!Number.isSafeInteger(length) || length < 0) return [400, "The Content-Length is not a number."];
  if (length > bodyLimitFor(request.path)) return [413, "The form is too large."];
  return null;
}

export function bodyLimits(request: Request, response: Response, next: NextFunction): void {
  const refusal = refusalOf(request);
  if (!refusal) {
    next();
    return;
  }
  // Do not read what was refused; close the connection so the unread body goes nowhere.
  response.set("Connection", "close").status(refusal[0]).type("text/plain").send(refusal[1]);
}
