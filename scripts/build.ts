import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

// CommonJS on purpose: an ESM `import fs from "node:fs"` makes Node build a facade that
// evaluates every lazy getter of the built-in (fs.promises, util's extras, ...), which cost
// ~5 ms per module at startup here; `require` returns the module object as it is.
mkdirSync("dist", { recursive: true });
writeFileSync("dist/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);

await build({
  entryPoints: { baton: "src/cli/bin.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  minifySyntax: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
  define: {
    BATON_VERSION: JSON.stringify(pkg.version),
    // createRequire accepts a file path, which is all import.meta.url is used for.
    "import.meta.url": "__filename",
  },
  // Loaded lazily, only for YAML beyond the subset Baton writes; stays a runtime dependency.
  external: ["js-yaml"],
  logLevel: "warning",
});
