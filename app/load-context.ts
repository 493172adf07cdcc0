import type { CaucusLoadContext } from "../shared/services";

declare module "@remix-run/node" {
  interface AppLoadContext extends CaucusLoadContext {}
}
