import type { IncomingMessage } from "node:http";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery protection for every state-changing request, and for websocket and
 * socket.io handshakes (which browsers send cross-site with cookies). A browser names the page that
 * sent a request in `Origin` (always on POST and on websocket handshakes) or `Sec-Fetch-Site`; a request
 * another site made is refused. Clients that are not browsers send neither and carry no victim's cookie.
 */
export function crossSiteRefusal(request: IncomingMessage): string | null {
  if (SAFE_METHODS.has(request.method ?? "GET") && request.headers.upgrade === undefined) return null;
  const fetchSite = request.headers["sec-fetch-site"];
  if (fetchSite === "cross-site" || fetchSite === "same-site") return "Cross-site requests are refused.";
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "Cross-site requests are refused.";
  }
  return originHost === request.headers.host ? null : "Cross-site requests are refused.";
}
