import { readdirSync } from "node:fs";

/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` (or only those named on the command line),
 * each exporting a default async function that returns its figures, and prints them as JSON.
 */
const directory = new URL("./", import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(directory)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

const results: Record<string, unknown> = {};
for (const file of files) {
  const module = (await import(new URL(file, directory).href)) as { default: () => Promise<unknown> };
  process.stderr.write(`running ${file}…\n`);
  results[file.replace(/\.bench\.ts$/, "")] = await module.default();
}
console.log(JSON.stringify(results, null, 2));
process.exit(0);
