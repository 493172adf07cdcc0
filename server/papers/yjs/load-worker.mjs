// Run from source (tests, `npm run dev`), a worker thread has no TypeScript loader of its own:
// this entry registers tsx's, then runs the worker. The compiled server starts build/caucus-load-worker.js instead.
import { tsImport } from "tsx/esm/api";

await tsImport("./load-worker.ts", import.meta.url);
