import { describe, expect, it } from "vitest";
import { SessionCookies } from "../../server/auth/session-cookie";
import { SESSION_COOKIE } from "../../shared/wire/protocol";

describe("session cookies", () => {
  const cookies = new SessionCookies("a-secret-that-is-long-enough-for-tests", false);

  it("round-trips a session id and is HttpOnly and SameSite", () => {
    const header = cookies.serialize("abc123");
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).not.toContain("Secure");
    expect(cookies.read(`other=1; ${header.split(";")[0]}`)).toBe("abc123");
  });

  it("rejects a cookie signed with another secret or altered", () => {
    const foreign = new SessionCookies("another-secret-that-is-long-enough!!", false).serialize("abc123");
    expect(cookies.read(foreign.split(";")[0])).toBeNull();
    const [pair] = cookies.serialize("abc123").split(";");
    expect(cookies.read(pair!.replace("abc123", "abc124"))).toBeNull();
    expect(cookies.read(`${SESSION_COOKIE}=nodot`)).toBeNull();
    expect(cookies.read(undefined)).toBeNull();
  });
});
