// The reference the co-editing benchmark compares against: y-websocket 2's own server
// (bin/utils.cjs, in memory, no auth), on 127.0.0.1 and the port the OS picks.
const http = require("node:http");
const WebSocket = require("ws");
const { setupWSConnection } = require("y-websocket-v2/bin/utils");

const wss = new WebSocket.Server({ noServer: true });
wss.on("connection", setupWSConnection);
const server = http.createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/plain" });
  response.end("okay");
});
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
});
server.listen(0, "127.0.0.1", () => {
  console.log(`reference listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
