const base = [
  "@remix-run/express",
  "better-sqlite3",
  "express",
  "helmet",
  "lib0/decoding",
  "lib0/encoding",
  "pino",
  "prom-client",
  "rate-limiter-flexible",
  "socket.io",
  "ws",
  "y-protocols/awareness",
  "yjs",
  "zod",
  "zod/mini",
  "react/jsx-runtime",
  "@remix-run/node",
  "@remix-run/react",
  "isbot",
  "react-dom/server",
  "react",
];
const extra = process.argv.slice(2);
for (const m of [...base, ...extra]) await import(m);
await new Promise((r) => setTimeout(r, 3000));
console.log(
  extra.join(",") || "base",
  (process.memoryUsage().rss / 1048576).toFixed(1),
  (process.memoryUsage().heapUsed / 1048576).toFixed(1),
);
