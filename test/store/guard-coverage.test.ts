/**
 * Every path Baton reads or writes under a workspace goes through the path guard
 * (src/store/guard.ts), which store/files.ts applies. This test keeps it so: a module that calls
 * a path-taking `fs` function, or the unguarded write primitives of store/atomic.ts, must be one
 * of the few listed here with the reason it may.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { REPO_ROOT } from "../helpers.ts";

/** Modules allowed raw path access, and why. */
const RAW_PATH_ACCESS: Record<string, string> = {
  "src/store/files.ts": "the guarded file layer itself",
  "src/store/atomic.ts": "the raw primitives, called with paths files.ts has resolved",
  "src/store/guard.ts": "the guard (lstat, realpath)",
  "src/store/lock.ts": "generation files in the lock folder, which the transaction checks first",
  "src/store/undo-log.ts":
    "the transaction's own undo steps: paths it recorded after the guard resolved them, checked inside the root again on repair and matched by inode",
  "src/store/workspace.ts": "finding the root and checking -C before a workspace exists",
  "src/store/git.ts": "realpath of git's own top-level folder, to map git's paths",
  "src/store/installed.ts":
    "looks for a Baton install on this machine as npx would (parent folders, PATH); copies nothing",
  "src/store/package-files.ts": "Baton's own shipped agents/ folder, not the repository",
  "src/cli/commands/inputs.ts": "files the user names on the command line (--file, --from)",
  "src/cli/style.ts": "fstat of the output descriptors",
  "src/cli/write.ts": "writes to the output descriptors",
};

/** The write primitives that bypass the guard, and who may call them. */
const RAW_PRIMITIVES = [
  "writeFileAtomic",
  "appendLine",
  "createNewFile",
  "removeFile",
  "replaceFolder",
  "renamePath",
];
const RAW_PRIMITIVE_USERS = new Set(["src/store/files.ts", "src/store/atomic.ts"]);

const PATH_FUNCTIONS = [
  "readFileSync",
  "writeFileSync",
  "appendFileSync",
  "openSync",
  "readdirSync",
  "opendirSync",
  "statSync",
  "lstatSync",
  "existsSync",
  "accessSync",
  "mkdirSync",
  "rmSync",
  "rmdirSync",
  "unlinkSync",
  "renameSync",
  "truncateSync",
  "realpathSync",
  "readlinkSync",
  "linkSync",
  "symlinkSync",
  "copyFileSync",
  "cpSync",
  "chmodSync",
  "utimesSync",
  "createReadStream",
  "createWriteStream",
  "readFile",
  "writeFile",
  "open",
  "readdir",
  "stat",
  "mkdir",
  "rm",
  "rename",
  "watch",
];

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) out.push(path.relative(REPO_ROOT, full));
    }
  };
  walk(path.join(REPO_ROOT, "src"));
  return out.map((f) => f.split(path.sep).join("/")).sort();
}

describe("the path guard covers every path", () => {
  const files = sources();
  const call = new RegExp(`\\bfs\\.(?:promises\\.)?(${PATH_FUNCTIONS.join("|")})\\(`, "g");

  test("only the listed modules call path-taking fs functions", () => {
    const offenders: string[] = [];
    for (const file of files) {
      if (RAW_PATH_ACCESS[file] !== undefined) continue;
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const m of text.matchAll(call)) {
        const line = text.slice(0, m.index).split("\n").length;
        offenders.push(`${file}:${line} fs.${m[1]}`);
      }
      if (/import\s*\{[^}]*\}\s*from\s*"node:fs"/.test(text))
        offenders.push(`${file}: named node:fs import`);
    }
    assert.deepEqual(offenders, [], "go through src/store/files.ts (guarded) instead");
  });

  test("only the file layer calls the unguarded write primitives", () => {
    const offenders: string[] = [];
    for (const file of files) {
      if (RAW_PRIMITIVE_USERS.has(file)) continue;
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      const imported = /import\s*\{([^}]*)\}\s*from\s*"[./]*(?:store\/)?atomic\.ts"/.exec(text);
      if (!imported) continue;
      const names = (imported[1] as string).split(",").map((n) => n.trim().split(/\s+as\s+/)[0]);
      for (const name of names)
        if (RAW_PRIMITIVES.includes(name as string)) offenders.push(`${file}: ${name}`);
    }
    assert.deepEqual(offenders, []);
  });

  test("the check itself finds a raw call (it can fail)", () => {
    const sample = 'const t = fs.readFileSync(p, "utf8");';
    assert.equal([...sample.matchAll(call)].length, 1);
  });
});
