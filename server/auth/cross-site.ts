import type { IncomingMessage } from "node:http";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery protection for every state-changing request, and for websocket and
 * socket.io handshakes (which browsers send cross-site with cookies). A browser names the page that
 * sent a request in `Origin` (always on POST and on websocket handshakes) or `Sec-Fetch-Site`; a request
 * another site made, or the same host over another scheme, is refused. Clients that are not browsers send neither and carry no victim's cookie.
 */
export function crossSiteRefusal(request: IncomingMessage): string | null {
  if (SAFE_METHODS.has(request.method ?? "GET") && request.headers.upgrade === undefined) return null;
  const fetchSite = request.headers["sec-fetch-site"];
  if (fetchSite === "cross-site" || fetchSite === "same-site") return "Cross-site requests are refused.";
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return "Cross-site requests are refused.";
  }
  return parsed.host === request.headers.host && parsed.protocol === schemeOf(request)
    ? null
    : "Cross-site requests are refused.";
}

/**
 * The scheme the browser used to reach us: https on a TLS socket; behind a proxy that ends TLS, the
 * first X-Forwarded-Proto (a page cannot set that header on a browser's request, so it cannot be
 * used to pass a check); plain http otherwise. An http page of the same host is another origin.
 */
function schemeOf(request: IncomingMessage): string {
  if ((request.socket as { encrypted?: boolean }).encrypted) return "https:";
  const forwarded = request.headers["x-forwarded-proto"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || first === "http" ? `${first}:` : "http:";
}
