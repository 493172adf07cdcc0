/**
 * One of the round bench's subscriber processes (forked by rounds.bench.ts): it holds its share of
 * the socket.io subscribers, so that 900 clients parsing the same state are spread over several
 * event loops instead of queueing in one. Receive times are on the machine's shared clock
 * (`performance.timeOrigin + performance.now()`), comparable with the parent's send times.
 */
import { performance } from "node:perf_hooks";
import { ClockSync } from "../../shared/rounds/clock-sync";
import { remainingMs } from "../../shared/rounds/round";
import { RoundEvent, type RoundSnapshot } from "../../shared/wire/events";
import { roundClient } from "../support/test-server";

/** What the bench asks of this process. */
export type SubscriberRequest =
  | { type: "connect"; url: string; debates: { debateId: string; cookie: string; count: number }[] }
  | { type: "show"; debateId: string; atEpochMs: number }
  | { type: "close" };

/** What this process tells the bench. */
export type SubscriberReport =
  | { type: "ready" }
  | { type: "received"; debateId: string; wave: number; receivedAt: number[] }
  | { type: "shown"; shownMs: number[] };

const CLOCK_SAMPLES = 8;

interface Subscriber {
  snapshot: RoundSnapshot;
  clock: ClockSync;
  statesReceived: number;
  close(): void;
}

const sharedClockNow = () => performance.timeOrigin + performance.now();
const report = (message: SubscriberReport) => process.send!(message);
const subscribersByDebate = new Map<string, Subscriber[]>();

async function subscribe(url: string, debateId: string, cookie: string, count: number): Promise<Subscriber[]> {
  /** Receive times of each wave (the n-th state every subscriber gets), reported once all have it. */
  const waves = new Map<number, number[]>();
  return Promise.all(
    Array.from({ length: count }, async () => {
      const socket = roundClient(url, cookie);
      const subscriber: Subscriber = {
        snapshot: null as unknown as RoundSnapshot,
        clock: new ClockSync({ now: Date.now, ping: (sentAt) => socket.emitWithAck(RoundEvent.clockPing, sentAt) }),
        statesReceived: 0,
        close: () => socket.close(),
      };
      socket.on(RoundEvent.state, (snapshot) => {
        const receivedAt = sharedClockNow();
        subscriber.snapshot = snapshot;
        const wave = ++subscriber.statesReceived;
        const times = waves.get(wave) ?? [];
        times.push(receivedAt);
        waves.set(wave, times);
        if (times.length < count) return;
        waves.delete(wave);
        report({ type: "received", debateId, wave, receivedAt: times });
      });
      const subscribed = await socket.emitWithAck(RoundEvent.subscribe, { debateId });
      if (!subscribed.ok) throw new Error(subscribed.reason);
      subscriber.snapshot = subscribed.snapshot;
      return subscriber;
    }),
  );
}

process.on("message", async (request: SubscriberRequest) => {
  switch (request.type) {
    case "connect": {
      for (const { debateId, cookie, count } of request.debates) {
        const subscribers = await subscribe(request.url, debateId, cookie, count);
        for (const subscriber of subscribers) await subscriber.clock.sample(CLOCK_SAMPLES);
        subscribersByDebate.set(debateId, subscribers);
      }
      report({ type: "ready" });
      return;
    }
    case "show": {
      // What each subscriber's timer shows for one shared instant, from its own clock estimate.
      const shownMs = (subscribersByDebate.get(request.debateId) ?? []).map(({ snapshot, clock }) =>
        remainingMs(snapshot.round, snapshot.format, clock.serverNow() - (Date.now() - request.atEpochMs)),
      );
      report({ type: "shown", shownMs });
      return;
    }
    case "close": {
      for (const subscribers of subscribersByDebate.values()) for (const subscriber of subscribers) subscriber.close();
      process.exit(0);
    }
  }
});
