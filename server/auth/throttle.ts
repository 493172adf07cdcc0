/**
 * Counts failures per key in a sliding window. Past `slowAfter` failures each further attempt is
 * answered only after a growing delay; past `refuseAfter` attempts are refused until old failures
 * leave the window. Memory is bounded: keys without recent failures are swept.
 */
export interface ThrottleRule {
  windowMs: number;
  slowAfter: number;
  refuseAfter: number;
  /** Extra delay per failure beyond `slowAfter`. */
  stepDelayMs: number;
}

export type ThrottleVerdict = { allowed: true; delayMs: number } | { allowed: false; retryAfterMs: number };

const MAX_KEYS = 50_000;

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  check(key: string): ThrottleVerdict {
    const recent = this.recent(key);
    if (recent.length >= this.rule.refuseAfter) {
      return { allowed: false, retryAfterMs: recent[0]! + this.rule.windowMs - this.now() };
    }
    const excess = recent.length - this.rule.slowAfter;
    return { allowed: true, delayMs: excess >= 0 ? (excess + 1) * this.rule.stepDelayMs : 0 };
  }

  fail(key: string): void {
    if (this.failures.size >= MAX_KEYS) this.sweep();
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still full: forget the oldest keys rather than grow without bound.
    for (const key of this.failures.keys()) {
      if (this.failures.size < MAX_KEYS) break;
      this.failures.delete(key);
    }
  }
}

/** The strictest verdict of several throttles: refused if any refuses, else the longest delay. */
export function combine(verdicts: ThrottleVerdict[]): ThrottleVerdict {
  const refused = verdicts.filter((verdict) => !verdict.allowed);
  if (refused.length > 0) return { allowed: false, retryAfterMs: Math.max(...refused.map((v) => v.retryAfterMs)) };
  return { allowed: true, delayMs: Math.max(0, ...verdicts.map((verdict) => (verdict.allowed ? verdict.delayMs : 0))) };
}

const minutes = (count: number) => count * 60_000;

/** One browser (its client cookie) guessing codes: slowed after 5 wrong codes, refused after 10. */
export const JOIN_PER_CLIENT: ThrottleRule = { windowMs: minutes(10), slowAfter: 5, refuseAfter: 10, stepDelayMs: 300 };
/** One network address: a class behind one school NAT mistypes, so the budget is larger. */
export const JOIN_PER_ADDRESS: ThrottleRule = {
  windowMs: minutes(10),
  slowAfter: 40,
  refuseAfter: 80,
  stepDelayMs: 300,
};
/** Every wrong code anywhere: bounds a guesser spread over many addresses. */
export const JOIN_GLOBAL: ThrottleRule = { windowMs: minutes(1), slowAfter: 300, refuseAfter: 600, stepDelayMs: 100 };
/** Joins into one debate: a leaked code cannot flood a class with fake students. */
export const JOIN_PER_DEBATE: ThrottleRule = {
  windowMs: minutes(10),
  slowAfter: 200,
  refuseAfter: 400,
  stepDelayMs: 0,
};
/** Log-in failures for one email from one address, and from one address overall. */
export const LOGIN_PER_ACCOUNT: ThrottleRule = {
  windowMs: minutes(15),
  slowAfter: 3,
  refuseAfter: 5,
  stepDelayMs: 500,
};
export const LOGIN_PER_ADDRESS: ThrottleRule = {
  windowMs: minutes(15),
  slowAfter: 20,
  refuseAfter: 50,
  stepDelayMs: 500,
};

export function waitMessage(retryAfterMs: number): string {
  const minutesLeft = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `${minutesLeft} minute${minutesLeft === 1 ? "" : "s"}`;
}
