/** socket.io event names for the round control plane (apart from shared/events.ts's schemas, so pages carry no zod). */
export const RoundEvent = {
  subscribe: "round:subscribe",
  command: "round:command",
  state: "round:state",
  clockPing: "clock:ping",
} as const;
