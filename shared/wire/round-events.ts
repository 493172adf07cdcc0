/** socket.io event names for the round control plane, written once (apart from shared/wire/events.ts's schemas, so pages carry no zod). */
export const RoundEvent = {
  subscribe: "round:subscribe",
  command: "round:command",
  state: "round:state",
  clockPing: "clock:ping",
} as const;

/** The control room's live channel (decision 171): the instructor watches a debate, the server pushes its view. */
export const ControlEvent = {
  watch: "control:watch",
  view: "control:view",
  /** Between nodes (through socket.io's Redis adapter): a debate's control view changed on another node. */
  changed: "control:changed",
} as const;

/**
 * The round protocol's version, sent in the socket.io handshake as `auth.caucus`. A page left open
 * across a deploy that changed the events is refused with a reason that says to reload it.
 */
export const ROUND_PROTOCOL_VERSION = 1;
export const roundHandshake = () => ({ caucus: ROUND_PROTOCOL_VERSION });
export const OUTDATED_CLIENT = "This page is out of date: reload it to follow the round.";
