/**
 * Error hints, notices and help text in the source tell people and agents what to run next; a
 * hint naming a command or flag the CLI lacks sends them to a dead end. Every string literal in
 * src/ that mentions `baton <word>` is checked like the agent files are.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { checkText, type Finding, formatFindings, listFiles } from "./agent-files.ts";

const SRC = path.join(import.meta.dirname, "..", "src");

/** Word lists that happen to hold "baton" next to a command's name: not invocations. */
const NOT_INVOCATIONS = new Set(["core/plan/context-rank.ts"]);

/** String literals of a TypeScript file, comments left out, `${…}` as a placeholder. */
export function stringLiterals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of code.matchAll(
    /"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`|'((?:[^'\\\n]|\\.)*)'/g,
  )) {
    const raw = m[1] ?? m[2] ?? m[3] ?? "";
    out.push(
      raw
        .replace(/\$\{[^}]*\}/g, "<x>")
        .replace(/\\n/g, "\n")
        .replace(/\\(.)/g, "$1"),
    );
  }
  return out;
}

test("every baton command and flag named in src/ strings exists", () => {
  const findings: Finding[] = [];
  let checked = 0;
  for (const file of listFiles(SRC).filter((f) => f.endsWith(".ts"))) {
    if (NOT_INVOCATIONS.has(file.split(path.sep).join("/"))) continue;
    for (const text of stringLiterals(fs.readFileSync(path.join(SRC, file), "utf8"))) {
      if (!/\bbaton [a-z-]/.test(text)) continue;
      checked++;
      findings.push(...checkText(text, file).findings);
    }
  }
  assert.ok(checked > 100, `only ${checked} strings mention a command`);
  assert.deepEqual(findings, [], formatFindings(findings));
});

test("the scan catches a hint naming a command that does not exist", () => {
  const [hint] = stringLiterals('throw new E("X", "m", "or run: baton doctor");').filter((s) =>
    s.includes("baton"),
  );
  assert.equal(checkText(hint as string, "x.ts").findings.length, 1);
});
