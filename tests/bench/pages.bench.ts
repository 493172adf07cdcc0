import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const clientDirectory = fileURLToPath(new URL("../../build/client", import.meta.url));

interface ManifestEntry {
  module: string;
  imports?: string[];
  parentId?: string;
  path?: string;
}

interface RemixManifest {
  entry: ManifestEntry;
  routes: Record<string, ManifestEntry & { id: string }>;
}

/** Strings that survive minification and mean a chunk holds ProseMirror (the editor) or Yjs. */
const EDITOR_MARKERS = ["ProseMirror-", "Yjs was already imported"];

const gzipKb = (modules: Iterable<string>) =>
  Math.round(
    [...modules].reduce(
      (total, module) => total + gzipSync(readFileSync(`${clientDirectory}${module}`)).byteLength,
      0,
    ) / 102.4,
  ) / 10;

/** Chunks a chunk imports: statically (`from"./x.js"`), and with `lazy`, lazily (`import("./x.js")`). */
function importedChunks(module: string, lazy: boolean): string[] {
  const code = readFileSync(`${clientDirectory}${module}`, "utf8");
  const found = [...code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((match) => match[1]!);
  if (lazy) found.push(...[...code.matchAll(/import\("\.\/([^"]+\.js)"\)/g)].map((match) => match[1]!));
  return found.map((file) => `/assets/${file}`);
}

function withImports(start: Iterable<string>, lazy: boolean): Set<string> {
  const modules = new Set(start);
  for (const module of modules) for (const imported of importedChunks(module, lazy)) modules.add(imported);
  return modules;
}

export default async function pagesBench() {
  const manifestFile = readdirSync(`${clientDirectory}/assets`).find((file) => /^manifest-.*\.js$/.test(file));
  if (!manifestFile) throw new Error("No Remix manifest in build/client/assets: run npm run build first");
  const source = readFileSync(`${clientDirectory}/assets/${manifestFile}`, "utf8");
  const manifest = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as RemixManifest;
  const pages: Record<string, { gzipKb: number; beforeLazyChunksGzipKb: number; editorOrYjs: boolean }> = {};
  for (const route of Object.values(manifest.routes)) {
    if (route.id === "root") continue;
    const modules = new Set([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
    for (let current: ManifestEntry | undefined = route; current; ) {
      modules.add(current.module);
      for (const imported of current.imports ?? []) modules.add(imported);
      current = current.parentId ? manifest.routes[current.parentId] : undefined;
    }
    const firstLoad = withImports(modules, false);
    const all = withImports(modules, true);
    const editorOrYjs = [...all].some((module) => {
      const code = readFileSync(`${clientDirectory}${module}`, "utf8");
      return EDITOR_MARKERS.some((marker) => code.includes(marker));
    });
    pages[`/${route.path ?? ""}`] = { gzipKb: gzipKb(all), beforeLazyChunksGzipKb: gzipKb(firstLoad), editorOrYjs };
  }
  const sorted = Object.fromEntries(Object.entries(pages).sort(([, a], [, b]) => b.gzipKb - a.gzipKb));
  return { unit: "KB gzip (1024 bytes)", pages: sorted };
}
