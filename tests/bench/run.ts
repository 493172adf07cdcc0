import { readdirSync } from "node:fs";

/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` (or only those named on the command line),
 * each exporting a default async function that returns its figures (one object, or a list of
 * them), and prints one JSON line per figure set, tagged with the bench's name. `--quick` (or
 * BENCH_QUICK=1) shortens the windows for a busy machine; `--nodes 2` (or BENCH_NODES=2) runs the
 * co-editing bench against two Caucus nodes.
 */
const directory = new URL("./", import.meta.url);
const only = process.argv
  .slice(2)
  .filter((argument, index, all) => !argument.startsWith("--") && all[index - 1] !== "--nodes");
const files = readdirSync(directory)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

for (const file of files) {
  const module = (await import(new URL(file, directory).href)) as { default: () => Promise<unknown> };
  const bench = file.replace(/\.bench\.ts$/, "");
  process.stderr.write(`running ${file}…\n`);
  const figures = await module.default();
  for (const line of Array.isArray(figures) ? figures : [figures]) {
    console.log(JSON.stringify({ bench, ...(line as object) }));
  }
}
process.exit(0);
