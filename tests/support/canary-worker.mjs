// Worker threads do not inherit tsx's loader from the parent; this entry registers it, then runs the canary.
import { tsImport } from "tsx/esm/api";

await tsImport("./canary-worker.ts", import.meta.url);
