import { isIPv6 } from "node:net";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Attempt budgets (rate-limiter-flexible; its Redis store can replace the memory one when Caucus
 * runs on several nodes). Every attempt is counted the moment it arrives, before anything is
 * awaited, so requests in flight at once cannot all pass; an attempt that turns out right is
 * refunded, so only failures use up a budget. Past `slowAfter` attempts in the window each further
 * attempt is answered after a growing delay; past `points` it is refused until the window ends.
 */
export interface LimitRule {
  /** Names the budget's counters in Redis. */
  name: string;
  points: number;
  durationSeconds: number;
  slowAfter?: number;
  stepDelayMs?: number;
}

/** Where counters live when several nodes run: one Redis, so a budget is the same on every node. */
export interface SharedLimits {
  redis: Redis;
  prefix: string;
}

export class Limit {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    readonly rule: LimitRule,
    shared: SharedLimits | null = null,
  ) {
    const options = { points: rule.points, duration: rule.durationSeconds };
    this.limiter = shared
      ? new RateLimiterRedis({
          ...options,
          storeClient: shared.redis,
          keyPrefix: `${shared.prefix}limit:${rule.name}`,
          // While Redis is unreachable each node counts on its own rather than refusing everyone.
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  }

  /** Counts one attempt for `key` at once; the promise says whether it was within the budget. */
  consume(key: string): Promise<LimitVerdict> {
    return this.limiter.consume(key).then(
      (result) => ({ allowed: true, delayMs: this.delayFor(result.consumedPoints) }),
      (error: unknown) => {
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: error.msBeforeNext };
        throw error;
      },
    );
  }

  /** Gives back an attempt that turned out right. */
  refund(key: string): void {
    void this.limiter.reward(key);
  }

  private delayFor(consumed: number): number {
    const { slowAfter, stepDelayMs = 0 } = this.rule;
    return slowAfter === undefined ? 0 : Math.max(0, consumed - slowAfter) * stepDelayMs;
  }
}

export type LimitVerdict = { allowed: true; delayMs: number } | { allowed: false; retryAfterMs: number };

/**
 * Counts one attempt against every budget (all consumed synchronously, in this call, before the
 * caller awaits anything); refused if any budget is spent, else the longest delay.
 */
export async function spend(budgets: [Limit, string][]): Promise<LimitVerdict> {
  const verdicts = await Promise.all(budgets.map(([limit, key]) => limit.consume(key)));
  const refused = verdicts.flatMap((verdict) => (verdict.allowed ? [] : [verdict.retryAfterMs]));
  if (refused.length > 0) return { allowed: false, retryAfterMs: Math.max(...refused) };
  return { allowed: true, delayMs: Math.max(0, ...verdicts.map((verdict) => (verdict.allowed ? verdict.delayMs : 0))) };
}

export function refund(budgets: [Limit, string][]): void {
  for (const [limit, key] of budgets) limit.refund(key);
}

/**
 * The key for a network address: IPv4 as is (also when mapped into IPv6), IPv6 by its /64, since
 * one home or school network gets a whole /64 and can pick any address in it.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split("%")[0]!;
  if (!isIPv6(bare)) return address;
  const [head = "", tail = ""] = bare.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const groups = bare.includes("::")
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

const minutes = (count: number) => count * 60;

/** One browser (its device cookie) guessing join codes: slowed after 5, refused after 10. */
export const JOIN_PER_BROWSER: LimitRule = {
  name: "join-per-browser",
  points: 10,
  durationSeconds: minutes(10),
  slowAfter: 5,
  stepDelayMs: 300,
};
/**
 * One network address (a /64 for IPv6). A whole class sits behind one school address and honest
 * mistakes are few, so the budget is large: one student's burst from one browser hits its own
 * budget (10) long before this one.
 */
export const JOIN_PER_ADDRESS: LimitRule = { name: "join-per-address", points: 300, durationSeconds: minutes(10) };
/** Every wrong code anywhere: bounds a guesser spread over many addresses. */
export const JOIN_GLOBAL: LimitRule = { name: "join-global", points: 600, durationSeconds: minutes(1) };
/** New people in one debate: a leaked code cannot flood a class with fake students. */
export const JOIN_PER_DEBATE: LimitRule = { name: "join-per-debate", points: 400, durationSeconds: minutes(10) };
/** Wrong passwords for one email from one address. */
export const LOGIN_PER_ADDRESS_AND_ACCOUNT: LimitRule = {
  name: "login-per-address-and-account",
  points: 5,
  durationSeconds: minutes(15),
  slowAfter: 3,
  stepDelayMs: 500,
};
/** Wrong passwords for one email from anywhere: a guesser rotating addresses. */
export const LOGIN_PER_ACCOUNT: LimitRule = { name: "login-per-account", points: 20, durationSeconds: minutes(15) };
/** Wrong passwords from one address, over every email. */
export const LOGIN_PER_ADDRESS: LimitRule = { name: "login-per-address", points: 50, durationSeconds: minutes(15) };
/**
 * Sign-ups from one address: each costs a password hash and slows anyone probing which emails have
 * accounts; a school's teachers behind one address still fit.
 */
export const SIGNUP_PER_ADDRESS: LimitRule = { name: "signup-per-address", points: 30, durationSeconds: minutes(60) };

/**
 * New audience sessions from one address: a lecture hall behind one address fits, a script
 * minting voters does not get far (one browser always gets its own session back).
 */
export const AUDIENCE_PER_ADDRESS: LimitRule = {
  name: "audience-per-address",
  points: 200,
  durationSeconds: minutes(10),
};
/** Refused round commands written to a debate's round log, per session. */
export const REFUSED_ROUND_COMMANDS_PER_SESSION: LimitRule = {
  name: "refused-round-commands-per-session",
  points: 5,
  durationSeconds: 60,
};

export function waitMessage(retryAfterMs: number): string {
  const minutesLeft = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `${minutesLeft} minute${minutesLeft === 1 ? "" : "s"}`;
}
