import { removeDatabase, type ServerRuntime, spawnServer } from "../support/spawn-server";
import { processMemoryMb, round1, sleep, spawnReferenceServer } from "./support";

const SETTLE_MS = 3000;

/** Resident memory right after start, before anyone connects. */
async function caucusIdleMb(runtime: ServerRuntime): Promise<number> {
  const caucus = await spawnServer({ env: { LOG_LEVEL: "error" }, runtime });
  await sleep(SETTLE_MS);
  const rssMb = processMemoryMb(caucus.child.pid!, "VmRSS");
  await caucus.stop();
  removeDatabase(caucus.databasePath);
  return rssMb;
}

export default async function idleBench() {
  const caucusRssMb = await caucusIdleMb("build");
  // What the TypeScript loader costs: the same server run from source, as `npm run dev` does without Vite.
  const caucusFromSourceRssMb = await caucusIdleMb("source");

  const reference = await spawnReferenceServer();
  await sleep(SETTLE_MS);
  const referenceRssMb = processMemoryMb(reference.child.pid!, "VmRSS");
  await reference.stop();
  return { caucusRssMb, caucusFromSourceRssMb, referenceRssMb, ratio: round1(caucusRssMb / referenceRssMb) };
}
