import { createHmac, timingSafeEqual } from "node:crypto";
import { DEVICE_COOKIE } from "../../shared/wire/protocol";
import { newId } from "../ids";

/** Browsers cap cookie lifetimes at 400 days. */
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/**
 * The browser's device id: random, signed with the session secret, kept for 400 days. Join
 * throttles count per device, the control room flags two people on one device, and a removal
 * keeps that device out of the debate. A forged or tampered value is ignored and replaced, so one
 * browser cannot pass itself off as another's device.
 */
export class DeviceCookies {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(deviceId: string): string {
    return createHmac("sha256", this.secret).update(`device:${deviceId}`).digest("base64url");
  }

  /** The verified device id in a Cookie header, or null. */
  read(cookieHeader: string | undefined): string | null {
    const value = new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE}=([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})(?:;|$)`).exec(
      cookieHeader ?? "",
    );
    if (!value) return null;
    const [, deviceId, signature] = value as unknown as [string, string, string];
    const expected = Buffer.from(this.sign(deviceId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
  }

  /** A new device id and the Set-Cookie value that gives it to the browser. */
  issue(): { deviceId: string; setCookie: string } {
    const deviceId = newId();
    const attributes = [
      `${DEVICE_COOKIE}=${deviceId}.${this.sign(deviceId)}`,
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      `Max-Age=${MAX_AGE_SECONDS}`,
    ];
    if (this.secure) attributes.push("Secure");
    return { deviceId, setCookie: attributes.join("; ") };
  }
}
