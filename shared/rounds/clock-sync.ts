/**
 * Clock sync against the server, NTP-style. Each ping is one exchange: the client reads its clock
 * (t0), the server answers with its clock (t1), the client reads its clock again (t2). The server
 * read t1 somewhere between t0 and t2, so the offset (server − client) lies in [t1 − t2, t1 − t0].
 * Intersecting the bounds of many exchanges keeps only what the fastest legs allow: the lowest
 * upward delay sets one end, the lowest downward delay the other. The estimate is the midpoint.
 * See docs/decisions/021-clock-sync.md.
 */

export interface ClockSample {
  /** Lowest possible offset: t1 − t2. */
  lowMs: number;
  /** Highest possible offset: t1 − t0. */
  highMs: number;
  roundTripMs: number;
}

export interface ClockEstimate {
  /** Server clock minus local clock, in ms. */
  offsetMs: number;
  /** Half the width of the interval the offset is known to lie in. */
  uncertaintyMs: number;
  /** The shortest round trip among the samples kept. */
  bestRoundTripMs: number;
}

/** Samples taken when a client connects: enough to pin the offset within a few ms on a 0–80 ms jittery link. */
export const INITIAL_CLOCK_SAMPLES = 24;
/** Samples added at each periodic refresh. */
export const REFRESH_CLOCK_SAMPLES = 8;
export const CLOCK_REFRESH_MS = 30_000;
/** Oldest samples are dropped beyond this many, so the estimate follows a drifting device clock. */
export const CLOCK_WINDOW_SAMPLES = 40;

export function clockSample(sentAt: number, serverNow: number, receivedAt: number): ClockSample {
  return { lowMs: serverNow - receivedAt, highMs: serverNow - sentAt, roundTripMs: receivedAt - sentAt };
}

function intersect(samples: readonly ClockSample[]): { lowMs: number; highMs: number } {
  let lowMs = Number.NEGATIVE_INFINITY;
  let highMs = Number.POSITIVE_INFINITY;
  for (const sample of samples) {
    lowMs = Math.max(lowMs, sample.lowMs);
    highMs = Math.min(highMs, sample.highMs);
  }
  return { lowMs, highMs };
}

/**
 * The offset from the kept samples, newest last. When the intervals do not all overlap (a device
 * clock was stepped or drifted between refreshes), older samples are dropped until they do; a
 * single sample always overlaps itself.
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  if (samples.length === 0) return null;
  for (let first = 0; first < samples.length; first++) {
    const kept = samples.slice(first);
    const { lowMs, highMs } = intersect(kept);
    if (lowMs <= highMs) {
      return {
        offsetMs: (lowMs + highMs) / 2,
        uncertaintyMs: (highMs - lowMs) / 2,
        bestRoundTripMs: Math.min(...kept.map((sample) => sample.roundTripMs)),
      };
    }
  }
  return null;
}

export interface ClockSyncOptions {
  /** Sends one ping with the local send time and resolves with the server's clock. */
  ping(sentAt: number): Promise<number>;
  /** The local clock; Date.now in browsers, a skewed clock in tests. */
  now(): number;
}

/**
 * Keeps a window of samples and the estimate they give. `sample(n)` runs n exchanges one after the
 * other (never overlapping, so one exchange's queueing does not slow the next).
 */
export class ClockSync {
  private samples: ClockSample[] = [];
  private current: ClockEstimate | null = null;

  constructor(private readonly options: ClockSyncOptions) {}

  get estimate(): ClockEstimate | null {
    return this.current;
  }

  /** Server time now, as best this client knows it; the local clock until the first estimate. */
  serverNow(): number {
    return this.options.now() + (this.current?.offsetMs ?? 0);
  }

  async sample(count: number): Promise<ClockEstimate | null> {
    for (let index = 0; index < count; index++) {
      const sentAt = this.options.now();
      const serverNow = await this.options.ping(sentAt);
      const receivedAt = this.options.now();
      this.samples.push(clockSample(sentAt, serverNow, receivedAt));
    }
    this.samples = this.samples.slice(-CLOCK_WINDOW_SAMPLES);
    this.current = estimateOffset(this.samples);
    return this.current;
  }
}
