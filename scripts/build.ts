import { readFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

await build({
  entryPoints: { baton: "src/cli/bin.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  minifySyntax: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
  define: { BATON_VERSION: JSON.stringify(pkg.version) },
  // Loaded lazily, only for YAML beyond the subset Baton writes; stays a runtime dependency.
  external: ["js-yaml"],
  logLevel: "warning",
});
