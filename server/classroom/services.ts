import type { JudgingServices } from "../../shared/judging/views";
import type { RoundPageServices } from "../../shared/rounds/views";
import type { CaucusServices } from "../../shared/services";
import type { SharedLimits } from "../auth/limits";
import type { SessionCookies } from "../auth/session-cookie";
import type { Store } from "../store/types";
import { createAccountServices } from "./accounts";
import { createContributionsServices } from "./contributions";
import { createControlRoomServices } from "./control-room";
import { createDashboardServices } from "./dashboard";
import { createDebateRoomServices } from "./debate-room";
import { createJoiningServices } from "./joining";
import type { LiveConnections } from "./live-connections";

/** The classroom's services, one module per page or flow, over one store and the live connections. */
export function createServices(
  store: Store,
  cookies: SessionCookies,
  live: LiveConnections,
  sharedLimits: SharedLimits | null = null,
): Omit<CaucusServices, keyof RoundPageServices | keyof JudgingServices> {
  return {
    ...createAccountServices(store, cookies, live, sharedLimits),
    ...createDashboardServices(store),
    ...createJoiningServices(store, cookies, live, sharedLimits),
    ...createDebateRoomServices(store, live),
    ...createControlRoomServices(store, live),
    ...createContributionsServices(store),
  };
}
