import { describe, expect, it } from "vitest";
import { combine, FailureThrottle } from "../../server/auth/throttle";

describe("FailureThrottle", () => {
  const rule = { windowMs: 60_000, slowAfter: 2, refuseAfter: 4, stepDelayMs: 100 };

  it("answers at once, then slower, then refuses until failures leave the window", () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle(rule, () => now);
    const verdicts = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      verdicts.push(throttle.check("a"));
      throttle.fail("a");
      now += 1000;
    }
    expect(verdicts).toEqual([
      { allowed: true, delayMs: 0 },
      { allowed: true, delayMs: 0 },
      { allowed: true, delayMs: 100 },
      { allowed: true, delayMs: 200 },
      { allowed: false, retryAfterMs: 56_000 },
    ]);
    expect(throttle.check("b")).toEqual({ allowed: true, delayMs: 0 });
    now += 56_000;
    expect(throttle.check("a").allowed).toBe(true);
  });

  it("forgets a key on reset", () => {
    const throttle = new FailureThrottle(rule);
    for (let attempt = 0; attempt < 4; attempt++) throttle.fail("a");
    expect(throttle.check("a").allowed).toBe(false);
    throttle.reset("a");
    expect(throttle.check("a")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("combines verdicts by the strictest", () => {
    expect(
      combine([
        { allowed: true, delayMs: 100 },
        { allowed: true, delayMs: 300 },
      ]),
    ).toEqual({ allowed: true, delayMs: 300 });
    expect(
      combine([
        { allowed: true, delayMs: 100 },
        { allowed: false, retryAfterMs: 5 },
      ]),
    ).toEqual({
      allowed: false,
      retryAfterMs: 5,
    });
  });
});
