/**
 * A long-running server runs many requests in one process, some at once: whatever one request
 * keeps in a module-level variable, every other one sees. So store and app keep no mutable state
 * at module level: a transaction is a value on its workspace handle (`ws.tx`), subscribers are
 * registered per handle. This test fails on a top-level `let`, or a top-level empty Map, Set,
 * WeakMap or array, in src/store and src/app, unless it is listed here with the reason it is
 * the same for every request of the process.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../helpers.ts";

const ALLOWED: Record<string, string> = {
  "src/store/lock.ts myTickets":
    "the queue tickets this process holds: a fact of the process, like its pid",
  "src/store/lock.ts self": "this process's pid namespace and start time, read once",
  "src/store/yaml.ts loaded": "the YAML library, loaded once on first use",
};

const MUTABLE =
  /^(?:export\s+)?(?:let\s+(\w+)|const\s+(\w+)(?:\s*:[^=]+)?\s*=\s*(?:new\s+(?:Map|Set|WeakMap|WeakSet)\s*(?:<[^>]*>)?\(\s*\)|\[\s*\]|\{\s*\}))/gm;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full));
    else if (entry.name.endsWith(".ts")) out.push(full);
  }
  return out;
}

export function moduleState(text: string): string[] {
  return [...text.matchAll(MUTABLE)].map((m) => (m[1] ?? m[2]) as string);
}

test("store and app keep no mutable module-level state", () => {
  const found: string[] = [];
  for (const layer of ["store", "app"]) {
    for (const file of files(path.join(REPO_ROOT, "src", layer))) {
      const rel = path.relative(REPO_ROOT, file).split(path.sep).join("/");
      for (const name of moduleState(fs.readFileSync(file, "utf8"))) {
        if (ALLOWED[`${rel} ${name}`] === undefined) found.push(`${rel} ${name}`);
      }
    }
  }
  assert.deepEqual(found, [], "hold it on the workspace handle or its transaction instead");
});

test("the check finds a module-level let, an empty Map and an empty array", () => {
  const sample = [
    "let batch = null;",
    "const hooks = new Map<string, Hook>();",
    "export const pending: Event[] = [];",
    'const WORDS = new Set(["a"]);',
    "function f() {\n  let local = 1;\n}",
  ].join("\n");
  assert.deepEqual(moduleState(sample), ["batch", "hooks", "pending"]);
});
