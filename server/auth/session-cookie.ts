import { createHmac, timingSafeEqual } from "node:crypto";
import { SESSION_COOKIE } from "../../shared/wire/protocol";

/**
 * The cookie carries only a session id and its HMAC; everything else about the session lives in
 * the store, so a session can be changed or revoked server-side.
 */
export class SessionCookies {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(sessionId: string): string {
    return createHmac("sha256", this.secret).update(sessionId).digest("base64url");
  }

  serialize(sessionId: string): string {
    const attributes = [
      `${SESSION_COOKIE}=${sessionId}.${this.sign(sessionId)}`,
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      `Max-Age=${60 * 60 * 24 * 180}`,
    ];
    if (this.secure) attributes.push("Secure");
    return attributes.join("; ");
  }

  /** A Set-Cookie value that removes the session cookie (log out). */
  clear(): string {
    const attributes = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
    if (this.secure) attributes.push("Secure");
    return attributes.join("; ");
  }

  /** The verified session id in a Cookie header, or null when absent or tampered with. */
  read(cookieHeader: string | undefined): string | null {
    if (!cookieHeader) return null;
    for (const part of cookieHeader.split(";")) {
      const [name, ...rest] = part.trim().split("=");
      if (name !== SESSION_COOKIE) continue;
      const value = rest.join("=");
      const dot = value.lastIndexOf(".");
      if (dot <= 0) return null;
      const sessionId = value.slice(0, dot);
      const given = Buffer.from(value.slice(dot + 1));
      const expected = Buffer.from(this.sign(sessionId));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return sessionId;
    }
    return null;
  }
}
