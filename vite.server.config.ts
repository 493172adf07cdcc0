import { copyFileSync, cpSync } from "node:fs";
import { defineConfig } from "vite";

/**
 * `npm run build`'s second step: the server as an ES module, build/caucus-server.js, which
 * `npm start` runs with plain node (no TypeScript loader at run time; docs/decisions/100). Packages
 * stay external. The SQL migrations and the seed reading are read from beside the module, so they
 * are copied there (SQLite's and PostgreSQL's); build/ sits one level below the project like server/ does, so the path to the
 * Remix build resolves the same from both.
 */
export default defineConfig({
  build: {
    // The load worker (decision 179) is its own entry: a worker thread starts from a file.
    ssr: true,
    outDir: "build",
    emptyOutDir: false,
    copyPublicDir: false,
    target: "node20",
    minify: false,
    // Chunks the server imports only for PostgreSQL or Redis sit beside it, so paths read from
    // `import.meta.url` (the migrations) resolve the same from them.
    rollupOptions: {
      input: { "caucus-server": "server/main.ts", "caucus-load-worker": "server/papers/yjs/load-worker.ts" },
      output: { entryFileNames: "[name].js", chunkFileNames: "caucus-server-[name].js" },
    },
  },
  plugins: [
    {
      name: "caucus-server-files",
      writeBundle() {
        cpSync("server/store/migrations", "build/migrations", { recursive: true });
        cpSync("server/store/pg-migrations", "build/pg-migrations", { recursive: true });
        copyFileSync("server/seed/confrontation-in-the-caucasus.txt", "build/confrontation-in-the-caucasus.txt");
      },
    },
  ],
});
