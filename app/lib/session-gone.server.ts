import { redirect } from "@remix-run/node";
import { SESSION_COOKIE } from "../../shared/wire/protocol";

/**
 * Where a page sends a visitor without a session. One who still carries a session cookie had a
 * place in a debate that is gone (removed by the instructor, or the debate deleted): the join page
 * then says so, instead of showing an empty form with no reason.
 */
export function toJoin(request: Request): Response {
  const cookies = request.headers.get("cookie") ?? "";
  const hadSession = cookies.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
  return redirect(hadSession ? "/join?ended=1" : "/join");
}
