/**
 * What a node needs only when it shares its live state with others through Redis. The server
 * imports this module only when `REDIS_URL` is set, so a single node (the default) never loads
 * ioredis or socket.io's Redis adapter (decision 176).
 */
export { createAdapter } from "@socket.io/redis-adapter";
export { connectCluster } from "./bus";
export { withHandledAdapterCommands } from "./handled-commands";
export { sharePresence } from "./presence";
