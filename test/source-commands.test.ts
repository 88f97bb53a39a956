/**
 * Error hints, notices and help text in the source tell people and agents what to run next; a
 * hint naming a command or flag the CLI lacks sends them to a dead end. Hints and notices name
 * commands as data (`cmd(…)`, src/core/command-ref.ts): every such reference in src/ must be an
 * operation with its fields, and render to a real command line and a real tool call. Every string
 * literal in src/ that still spells `baton <word>` (help, examples, results) is checked like the
 * agent files are.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { commandLine, operationNamed } from "../src/app/command-line.ts";
import { toolName } from "../src/app/operation.ts";
import { OPERATIONS } from "../src/app/operations.ts";
import { type CommandRef, prose, type RefValue } from "../src/core/command-ref.ts";
import { isPositional } from "../src/core/fields.ts";
import { TOOLS } from "../src/mcp/tools.ts";
import { toolCall } from "../src/mcp/words.ts";
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
  assert.ok(checked > 80, `only ${checked} strings mention a command`);
  assert.deepEqual(findings, [], formatFindings(findings));
});

test("the scan catches a hint naming a command that does not exist", () => {
  const [hint] = stringLiterals('throw new E("X", "m", "or run: baton frobnicate");').filter((s) =>
    s.includes("baton"),
  );
  assert.equal(checkText(hint as string, "x.ts").findings.length, 1);
});

/** Where `cmd` is defined, and references whose verb is computed (each an operation, checked below with every operation). */
const NOT_CALLS = new Set(["core/command-ref.ts"]);
const COMPUTED_VERBS = new Set(["app/specs/gate.ts"]);

interface FoundRef {
  file: string;
  /** The verb as written, or null when it is computed. */
  verb: string | null;
  args: Record<string, RefValue>;
  text: string;
}

/** Index just past the bracket, quote or template literal opening at `open`. */
function skip(src: string, open: number): number {
  const c = src[open];
  if (c === '"' || c === "'") {
    let i = open + 1;
    while (i < src.length && src[i] !== c) i += src[i] === "\\" ? 2 : 1;
    return i + 1;
  }
  if (c === "`") {
    let i = open + 1;
    while (i < src.length && src[i] !== "`") {
      if (src[i] === "\\") i += 2;
      else if (src.startsWith("${", i)) i = skip(src, i + 1);
      else i++;
    }
    return i + 1;
  }
  const close = c === "(" ? ")" : c === "[" ? "]" : "}";
  let i = open + 1;
  while (i < src.length && src[i] !== close) {
    if ("\"'`([{".includes(src[i] as string)) i = skip(src, i);
    else i++;
  }
  return i + 1;
}

/** The top-level pieces of `body` between commas. */
function topLevel(body: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if ("\"'`([{".includes(c)) i = skip(body, i);
    else if (c === ",") {
      out.push(body.slice(start, i));
      start = ++i;
    } else i++;
  }
  out.push(body.slice(start));
  return out.map((p) => p.trim()).filter((p) => p !== "");
}

/** A value as written: a literal as itself, `prose("x")` as prose, any expression as a placeholder. */
function argValue(key: string, text: string): RefValue {
  if (text === "true" || text === "false") return text === "true";
  const named = /^prose\(\s*"([^"]+)"\s*\)$/.exec(text);
  if (named) return prose(named[1] as string);
  if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return JSON.parse(text) as string;
  if (/^'[^'\\]*'$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+$/.test(text)) return Number(text);
  return `<${key.replaceAll("_", "-")}>`;
}

/** Every `cmd(…)` call in a TypeScript source, comments left out. */
export function commandRefs(source: string, file: string): FoundRef[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: FoundRef[] = [];
  for (const m of code.matchAll(/(?<![\w.])cmd\(/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const end = skip(code, open);
    const [verbText, argsText] = topLevel(code.slice(open + 1, end - 1));
    const verb = verbText && /^"[^"]*"$/.test(verbText) ? (JSON.parse(verbText) as string) : null;
    const args: Record<string, RefValue> = {};
    if (argsText?.startsWith("{")) {
      for (const entry of topLevel(argsText.slice(1, -1))) {
        const pair = /^(\w+)\s*:\s*([\s\S]+)$/.exec(entry);
        const key = pair ? (pair[1] as string) : entry;
        args[key] = argValue(key, pair ? (pair[2] as string).trim() : key);
      }
    }
    out.push({ file, verb, args, text: code.slice(m.index ?? 0, end) });
  }
  return out;
}

function srcRefs(): FoundRef[] {
  return listFiles(SRC)
    .filter((f) => f.endsWith(".ts") && !NOT_CALLS.has(f.split(path.sep).join("/")))
    .flatMap((f) =>
      commandRefs(fs.readFileSync(path.join(SRC, f), "utf8"), f.split(path.sep).join("/")),
    );
}

/** What is wrong with a reference: an unknown verb or field, or a rendering either face refuses. */
function problemsOf(ref: CommandRef): string[] {
  const op = operationNamed(ref.verb, OPERATIONS);
  if (!op) return [`${JSON.stringify(ref.verb)} is no operation`];
  const problems: string[] = [];
  for (const key of Object.keys(ref.args))
    if (!(key in op.input)) problems.push(`${ref.verb} has no field ${key}`);
  const line = commandLine(ref, OPERATIONS);
  for (const f of checkText(`\`\`\`\n${line}\n\`\`\`\n`, ref.verb).findings)
    problems.push(`${line}: ${f.problem}`);
  const shown = toolCall(ref);
  const tool = toolName(op);
  if (tool === null) {
    if (shown !== `\`${line}\` in a terminal`) problems.push(`${shown}: not the command to run`);
    return problems;
  }
  const def = TOOLS.find((t) => t.name === tool);
  if (!def) return [...problems, `${tool} is no tool`];
  const json = shown.slice(tool.length).trim();
  if (!shown.startsWith(tool) || (json !== "" && !json.startsWith("{")))
    problems.push(`${shown}: not a call of ${tool}`);
  const given = json === "" ? {} : (JSON.parse(json) as Record<string, unknown>);
  for (const key of Object.keys(given))
    if (!(key in (def.input.properties ?? {}))) problems.push(`${tool} takes no ${key}`);
  for (const key of def.input.required ?? [])
    if (!(key in given)) problems.push(`${shown}: ${tool} needs ${key}`);
  return problems;
}

describe("command references", () => {
  test("every cmd(…) in src/ is an operation with its fields, a command line and a tool call", () => {
    const refs = srcRefs();
    assert.ok(refs.length > 50, `only ${refs.length} references found`);
    const problems: string[] = [];
    for (const ref of refs) {
      if (ref.verb === null) {
        if (!COMPUTED_VERBS.has(ref.file))
          problems.push(`${ref.file}: ${ref.text}: the verb must be written out`);
        continue;
      }
      for (const p of problemsOf({ verb: ref.verb, args: ref.args }))
        problems.push(`${ref.file}: ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  test("every operation renders, bare and with each of its fields", () => {
    const problems: string[] = [];
    for (const op of OPERATIONS) {
      if (op.cli === false) continue;
      problems.push(...problemsOf({ verb: op.name, args: {} }));
      const args: Record<string, RefValue> = {};
      for (const [key, field] of Object.entries(op.input)) {
        if (field.cli === false) continue;
        args[key] =
          field.type === "boolean"
            ? true
            : field.type === "enum"
              ? (field.values[0] as string)
              : isPositional(field) || field.type !== "int"
                ? `<${key}>`
                : 1;
      }
      problems.push(...problemsOf({ verb: op.name, args }));
    }
    assert.deepEqual(problems, []);
  });

  test("the scan finds references and reads their arguments", () => {
    const [ref] = commandRefs(
      `x(\`see \${cmd("spec approve", { name, by: "<reviewer>", self: true, title: prose("t") })}\`);`,
      "x.ts",
    );
    assert.deepEqual(ref?.verb, "spec approve");
    assert.deepEqual(ref?.args, {
      name: "<name>",
      by: "<reviewer>",
      self: true,
      title: { prose: "<t>" },
    });
    assert.deepEqual(problemsOf({ verb: "spec approve", args: { nme: "x" } }), [
      "spec approve has no field nme",
    ]);
    assert.deepEqual(problemsOf({ verb: "frobnicate", args: {} }), [
      '"frobnicate" is no operation',
    ]);
    const noFlag = problemsOf({ verb: "spec status", args: { spec: "x" } });
    assert.deepEqual(noFlag, []);
  });
});
