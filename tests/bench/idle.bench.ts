import { removeDatabase, spawnServer } from "../support/spawn-server";
import { processMemoryMb, round1, sleep, spawnReferenceServer } from "./support";

const SETTLE_MS = 3000;

/** Resident memory right after start, before anyone connects: Caucus as `npm start` runs it, and the reference. */
export default async function idleBench() {
  const caucus = await spawnServer({ env: { LOG_LEVEL: "error" } });
  await sleep(SETTLE_MS);
  const caucusRssMb = processMemoryMb(caucus.child.pid!, "VmRSS");
  await caucus.stop();
  removeDatabase(caucus.databasePath);

  const reference = await spawnReferenceServer();
  await sleep(SETTLE_MS);
  const referenceRssMb = processMemoryMb(reference.child.pid!, "VmRSS");
  await reference.stop();
  return { caucusRssMb, referenceRssMb, ratio: round1(caucusRssMb / referenceRssMb) };
}
