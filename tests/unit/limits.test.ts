import { describe, expect, it } from "vitest";
import { addressKey, Limit, refund, spend } from "../../server/auth/limits";

describe("attempt limits", () => {
  it("keys IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:7:1::1")).toBe("2001:db8:7:1::/64");
    expect(addressKey("2001:0db8:0007:0001:ffff:1:2:3")).toBe("2001:db8:7:1::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("counts attempts made in the same tick before any resolves, and refunds right ones", async () => {
    const limit = new Limit({ name: "test-a", points: 3, durationSeconds: 60, slowAfter: 1, stepDelayMs: 100 });
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => spend([[limit, "a"]])));
    expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts.slice(0, 3).map((verdict) => verdict.allowed && verdict.delayMs)).toEqual([0, 100, 200]);
    expect((await spend([[limit, "b"]])).allowed).toBe(true);
    const other = new Limit({ name: "test-b", points: 1, durationSeconds: 60 });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await spend([[other, "c"]])).allowed).toBe(true);
      refund([[other, "c"]]);
    }
  });
});
