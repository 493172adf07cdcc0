import { useEffect, useRef, useState } from "react";
import { controlPushSchema, controlViewSchema } from "../../shared/classroom/control-events";
import type { ControlView } from "../../shared/classroom/views";
import { ControlEvent } from "../../shared/wire/round-events";
import type { RoundSocket } from "./round-client";

const WATCH_TIMEOUT_MS = 5_000;
const UNREADABLE_VIEW = "The server sent a control room this page cannot read: reload the page.";
const NO_ANSWER = "The server did not answer: live updates are off until the page reconnects.";

export interface ControlFeed {
  /** The newest view: the loader's, or a later one the server pushed. */
  view: ControlView;
  /** Whether the server is pushing changes to this page now. */
  live: boolean;
  /** Why live updates are off, when the server said why. */
  problem: string | null;
}

/**
 * The control room as the server last said it is (decision 171): the loader's view, then each view
 * the live channel pushes, parsed before it is shown. The page asks to watch on every
 * (re)connection, and the answer carries the current view, so a page back from an outage is up to
 * date without a reload. A newer loader view (after a form action) replaces any pushed one.
 */
export function useControlFeed(socket: RoundSocket | null, loaded: ControlView): ControlFeed {
  const debateId = loaded.debate.id;
  const [pushed, setPushed] = useState<{ view: ControlView; over: ControlView } | null>(null);
  const [live, setLive] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  useEffect(() => {
    if (!socket) return;
    let current = true;
    const show = (view: ControlView) => setPushed({ view, over: loadedRef.current });
    const watch = () => {
      socket
        .timeout(WATCH_TIMEOUT_MS)
        .emitWithAck(ControlEvent.watch, { debateId })
        .then(
          (answer) => {
            if (!current) return;
            const parsed = answer.ok ? controlViewSchema.safeParse(answer.view) : null;
            setLive(parsed?.success === true);
            setProblem(answer.ok ? (parsed?.success ? null : UNREADABLE_VIEW) : answer.reason);
            if (parsed?.success) show(parsed.data);
          },
          () => {
            if (!current) return;
            setLive(false);
            setProblem(NO_ANSWER);
          },
        );
    };
    const lost = () => setLive(false);
    const receive = (wire: unknown) => {
      const parsed = controlPushSchema.safeParse(wire);
      if (!parsed.success) setProblem(UNREADABLE_VIEW);
      else if (parsed.data.debateId === debateId) show(parsed.data.view);
    };
    socket.on("connect", watch);
    socket.on("disconnect", lost);
    socket.on(ControlEvent.view, receive);
    if (socket.connected) watch();
    return () => {
      current = false;
      socket.off("connect", watch);
      socket.off("disconnect", lost);
      socket.off(ControlEvent.view, receive);
    };
  }, [socket, debateId]);

  const view = pushed && pushed.over === loaded ? pushed.view : loaded;
  return { view, live, problem };
}
