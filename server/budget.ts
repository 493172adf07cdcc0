/**
 * A token bucket: `ratePerSecond` tokens come back each second, up to `capacity`. Synchronous and
 * one per connection, so a frame costs two subtractions and no timer or keyed map.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Takes `amount` tokens if there are that many; false (taking none) when the budget is spent. */
  take(amount: number): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
