import { describe, expect, it } from "vitest";
import { ClockSync, clockSample, estimateOffset } from "../../shared/rounds/clock-sync";

describe("clock offset estimate", () => {
  it("intersects the bounds of every exchange, so the fastest legs decide", () => {
    const trueOffset = 300_000;
    // Exchanges as [up delay, down delay]: each bounds the offset by its own legs.
    const legs = [
      [70, 5],
      [4, 60],
      [40, 40],
    ];
    let clientNow = 1_000;
    const samples = legs.map(([up, down]) => {
      const sentAt = clientNow;
      const serverNow = sentAt + up! + trueOffset;
      const receivedAt = sentAt + up! + down!;
      clientNow = receivedAt + 10;
      return clockSample(sentAt, serverNow, receivedAt);
    });
    const estimate = estimateOffset(samples)!;
    // Bounds: [offset − 5, offset + 4]: the midpoint is half a millisecond off.
    expect(estimate.offsetMs).toBe(trueOffset - 0.5);
    expect(estimate.uncertaintyMs).toBe(4.5);
    expect(estimate.bestRoundTripMs).toBe(64);
  });

  it("drops older samples when a device clock was stepped between them", () => {
    const before = clockSample(0, 1_050, 100);
    const afterStep = clockSample(10_000, 8_060, 10_100);
    expect(estimateOffset([before, afterStep])).toEqual({ offsetMs: -1_990, uncertaintyMs: 50, bestRoundTripMs: 100 });
    expect(estimateOffset([])).toBeNull();
  });

  it("gives server time from the local clock plus the estimate", async () => {
    let local = 5_000;
    const sync = new ClockSync({
      now: () => local,
      ping: async () => {
        local += 10;
        const server = local + 60_000;
        local += 10;
        return server;
      },
    });
    expect(sync.serverNow()).toBe(5_000);
    await sync.sample(4);
    expect(sync.serverNow() - local).toBe(60_000);
  });
});
