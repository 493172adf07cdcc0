/**
 * socket.io's client, for the browser only: as a `.client` module it is left out of the server's
 * Remix build, which never opens a socket (idle memory, decision 178). Call it from effects only.
 */
export { io } from "socket.io-client";
