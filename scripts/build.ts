import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { ALIASES } from "../src/cli/table.ts";
import { cliWords, wordEntries } from "./cli-words.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

// CommonJS on purpose: an ESM `import fs from "node:fs"` makes Node build a facade that
// evaluates every lazy getter of the built-in (fs.promises, util's extras, ...), which cost
// ~5 ms per module at startup here; `require` returns the module object as it is.
// dist/cli holds one bundle per word; a word dropped since the last build must not linger.
rmSync("dist/cli", { recursive: true, force: true });
mkdirSync("dist", { recursive: true });
writeFileSync("dist/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);

/**
 * esbuild turns each module's `import fs from "node:fs"` into `__toESM(require("node:fs"))`,
 * which copies every property of the built-in once per importing module (about 2.5 ms at
 * startup). Routing built-ins through one small ESM shim each makes that a single plain
 * `require`. Only the default export and the named imports listed here exist: a new named
 * import fails the build loudly instead of silently misbehaving.
 */
const NAMED_BUILTIN_IMPORTS: Record<string, string[]> = { "node:util": ["parseArgs"] };
const builtinShims: Plugin = {
  name: "builtin-shims",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === "builtin-shim"
        ? { path: args.path, external: true }
        : { path: args.path, namespace: "builtin-shim" },
    );
    b.onLoad({ filter: /.*/, namespace: "builtin-shim" }, (args) => {
      const named = (NAMED_BUILTIN_IMPORTS[args.path] ?? []).map(
        (n) => `export const ${n} = m.${n};`,
      );
      return {
        contents: [
          `const m = require(${JSON.stringify(args.path)});`,
          "export default m;",
          ...named,
        ].join("\n"),
        loader: "js",
      };
    });
  },
};

const CLI_OPTIONS = {
  plugins: [builtinShims],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  minifySyntax: true,
  legalComments: "none",
  define: {
    BATON_VERSION: JSON.stringify(pkg.version),
    // createRequire accepts a file path, which is all import.meta.url is used for.
    "import.meta.url": "__filename",
  },
  // Loaded lazily, only for YAML beyond the subset Baton writes; stays a runtime dependency.
  external: ["js-yaml"],
  logLevel: "warning",
} satisfies BuildOptions;

await build({
  ...CLI_OPTIONS,
  define: { ...CLI_OPTIONS.define, BATON_DIST: JSON.stringify(".") },
  entryPoints: { "baton-cli": "src/cli/bin.ts" },
});

// One bundle per first word (dist/cli/<word>.js), holding that word's operations and renderers
// only: `baton seed --active` loads a tenth of the code the whole CLI is. scripts/cli-words.ts
// finds each word's modules and checks the word's commands are the whole CLI's, flag for flag.
const words = await cliWords();
await build({
  ...CLI_OPTIONS,
  plugins: [...CLI_OPTIONS.plugins, wordEntries(words)],
  define: { ...CLI_OPTIONS.define, BATON_DIST: JSON.stringify("..") },
  entryPoints: Object.fromEntries(words.map((w) => [`cli/${w.word}`, `baton-word:${w.word}`])),
});

// `baton mcp` only: the MCP server (its own JSON-RPC, no SDK) in a file of its own that the
// CLI requires lazily, so no other command reads or compiles it. Bundled rather than resolved from
// node_modules at run time so the server's code is pinned by the lock file at build time.
const FACE_OPTIONS = {
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  minifySyntax: true,
  legalComments: "none",
  define: {
    BATON_VERSION: JSON.stringify(pkg.version),
    "import.meta.url": "__filename",
    "import.meta.dirname": "__dirname",
  },
  external: ["js-yaml"],
  logLevel: "warning",
} satisfies BuildOptions;

await build({ ...FACE_OPTIONS, entryPoints: { "baton-mcp": "src/mcp/main.ts" } });

// `baton serve` only: the HTTP server (node:http, its own WebSocket frames), likewise a file of
// its own that the CLI requires lazily.
await build({ ...FACE_OPTIONS, entryPoints: { "baton-serve": "src/http/main.ts" } });

// The dashboard `baton serve` serves: Preact and the pages in one script and one style sheet
// for the browser (dist/web/app.js, app.css), read by the server at its start.
rmSync("dist/web", { recursive: true, force: true });
await build({
  entryPoints: { app: "src/web/main.tsx" },
  outdir: "dist/web",
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["chrome120", "firefox120", "safari17"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});

// The bin is a stub that switches on Node's on-disk compile cache before loading a bundle, so
// repeated calls skip compiling it (enabling the cache from inside the bundle would be too late
// for the bundle itself), and picks the bundle: the one of the first word argv names, or the whole
// CLI for help, the version and anything else.
writeFileSync("dist/baton.js", stub(words.map((w) => w.word)), { mode: 0o755 });

function stub(served: string[]): string {
  return `#!/usr/bin/env node
"use strict";
require("node:module").enableCompileCache?.();
const argv = process.argv.slice(2);
const WORDS = ${JSON.stringify(served)};
const ALIASES = ${JSON.stringify(ALIASES)};
let i = 0;
while (i < argv.length) {
  const arg = argv[i];
  if (arg === "-C") i += 2;
  else if (/^(-C.+|--C=.*)$/.test(arg) || arg === "--json" || arg === "--quiet" || arg === "-q") i += 1;
  else break;
}
const word = ALIASES[argv[i]] ?? argv[i];
const whole = argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V");
const bundle = !whole && WORDS.includes(word) ? \`./cli/\${word}.js\` : "./baton-cli.js";
require(bundle).run(argv).then((code) => {
  process.exitCode = code;
});
`;
}
