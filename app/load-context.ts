import type { CaucusLoadContext } from "../shared/views";

declare module "@remix-run/node" {
  interface AppLoadContext extends CaucusLoadContext {}
}
