import { removeDatabase, spawnServer } from "../support/spawn-server";

/** One real server for the end-to-end suite, as `npm start` runs it, on a free port with a fresh database. */
export default async function globalSetup() {
  const server = await spawnServer({ runtime: "build" });
  process.env.CAUCUS_BASE_URL = server.url;
  return async () => {
    await server.stop();
    removeDatabase(server.databasePath);
  };
}
