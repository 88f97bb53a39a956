/**
 * Checks the agent-facing files (agents/**) against the CLI: every `baton …` invocation they
 * name must resolve to a registered command, and every flag on it must exist for that command.
 * Prompts that name commands the CLI lacks teach agents to fail, so the test suite runs this.
 */
import fs from "node:fs";
import path from "node:path";
import { exitCodeFor } from "../src/cli/exit.ts";
import { COMMANDS, findCommand } from "../src/cli/registry.ts";
import { GLOBAL_OPTIONS, type OptionSpec } from "../src/cli/spec.ts";
import { ERROR_CODES, type ErrorCode } from "../src/core/errors.ts";
import { TOPIC_TYPES } from "../src/core/ids.ts";
import { TASK_STATUSES } from "../src/core/task.ts";
import { TOOLS } from "../src/mcp/tools.ts";

/** Where a `baton …` invocation was found: a fenced code block, an inline code span, or prose. */
export type SegmentKind = "code" | "span" | "prose";

export interface FoundInvocation {
  file: string;
  line: number;
  kind: SegmentKind;
  /** The invocation as written, from `baton` to where it ends. */
  text: string;
  /** The resolved command words (`ticket list`), or null when none resolved. */
  command: string | null;
  /** Every flag on the invocation, as written (`--json`, `-C`). */
  flags: string[];
}

export interface Finding {
  file: string;
  line: number;
  text: string;
  problem: string;
}

export interface CheckResult {
  invocations: FoundInvocation[];
  findings: Finding[];
}

interface Segment {
  text: string;
  line: number;
  kind: SegmentKind;
}

interface Token {
  text: string;
  quoted: boolean;
}

/** Stands in for a code span inside prose, so a prose invocation ends where a span begins. */
const SPAN_MARK = "\u0000";

/** Values a few options and positionals accept; a literal value outside these is reported. */
const ENUM_OPTIONS: Record<string, Record<string, readonly string[]>> = {
  "ticket list": { status: TASK_STATUSES },
  "topic list": { type: TOPIC_TYPES },
};
const ENUM_POSITIONALS: Record<string, Record<number, readonly string[]>> = {
  "ticket set-status": { 1: TASK_STATUSES },
};

/** Splits Markdown into code-block lines, inline code spans and the prose around them. */
function segments(text: string): Segment[] {
  const lines = text.split(/\r?\n/);
  const out: Segment[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      const marker = fenceMatch?.[1];
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) {
        fence = null;
        continue;
      }
      // A shell line continued with a trailing backslash is one invocation.
      const start = i;
      let logical = line;
      while (logical.endsWith("\\") && i + 1 < lines.length) {
        i++;
        logical = `${logical.slice(0, -1)} ${lines[i]}`;
      }
      out.push({ text: logical, line: start + 1, kind: "code" });
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      continue;
    }
    const prose = line.replace(/(`+)(.+?)\1/g, (_match, _ticks: string, content: string) => {
      out.push({ text: content, line: i + 1, kind: "span" });
      return ` ${SPAN_MARK} `;
    });
    out.push({ text: prose, line: i + 1, kind: "prose" });
  }
  return out;
}

/**
 * Shell-like words: quotes group, and the invocation ends at `;`, `&&`, `|` (as its own word),
 * `)`, a `#` comment or, in prose, at a code span or sentence punctuation.
 */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] as string)) i++;
    if (i >= input.length) break;
    const first = input[i] as string;
    if (
      first === "|" ||
      first === ";" ||
      first === ")" ||
      first === "#" ||
      first === SPAN_MARK ||
      input.startsWith("&&", i)
    ) {
      break;
    }
    const quoted = first === '"' || first === "'";
    let word = "";
    let ended = false;
    while (i < input.length && !/\s/.test(input[i] as string)) {
      const c = input[i] as string;
      if (c === '"' || c === "'") {
        const close = findClosingQuote(input, i);
        word += input.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (c === ";" || c === ")" || c === SPAN_MARK || input.startsWith("&&", i)) {
        ended = true;
        break;
      }
      word += c;
      i++;
    }
    tokens.push({ text: word, quoted });
    if (ended) break;
  }
  return tokens;
}

function findClosingQuote(input: string, open: number): number {
  const quote = input[open];
  for (let j = open + 1; j < input.length; j++) {
    if (quote === '"' && input[j] === "\\") {
      j++;
      continue;
    }
    if (input[j] === quote) return j;
  }
  return input.length;
}

/** In prose an invocation ends at the end of its clause. */
function clauseOf(rest: string): string {
  const end = rest.search(/[,;:!?()]|\.(\s|$)/);
  return end === -1 ? rest : rest.slice(0, end);
}

const COMMAND_WORD = /^[a-z][a-z0-9_-]*$/;

function looksLikeInvocation(token: Token | undefined): boolean {
  if (!token || token.quoted) return false;
  return COMMAND_WORD.test(token.text) || /^--?[A-Za-z]/.test(token.text);
}

function optionNamed(options: OptionSpec[], flag: string): OptionSpec | undefined {
  if (flag.startsWith("--")) {
    const name = flag.slice(2).split("=")[0];
    return options.find((o) => o.name === name);
  }
  const letter = flag[1];
  return options.find((o) => o.short === letter || (o.name.length === 1 && o.name === letter));
}

interface ParsedFlags {
  flags: string[];
  problems: string[];
  positionals: Token[];
  values: Record<string, string>;
}

/**
 * Walks the words after the command, checking each flag against `options`. A string option
 * takes the next word as its value, as the CLI does, so `--body "- [ ] x"` is not read as flags.
 */
function parseFlags(tokens: Token[], options: OptionSpec[], owner: string): ParsedFlags {
  const out: ParsedFlags = { flags: [], problems: [], positionals: [], values: {} };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.quoted || !/^--?[A-Za-z]/.test(token.text)) {
      if (token.text === "--") break;
      out.positionals.push(token);
      continue;
    }
    // Usage notation: `[--body T|--file F]` names two flags.
    const pieces = token.text
      .replace(/^[[(]+/, "")
      .replace(/[\])]+$/, "")
      .split("|");
    for (const piece of pieces) {
      if (!/^--?[A-Za-z]/.test(piece)) continue;
      const flag = piece.startsWith("--") ? piece.split("=")[0] : piece.slice(0, 2);
      out.flags.push(flag as string);
      const option = optionNamed(options, piece);
      if (!option) {
        out.problems.push(`${flag} is not an option of ${owner}`);
        continue;
      }
      if (option.type !== "string") continue;
      const inline = piece.startsWith("--")
        ? piece.includes("=")
          ? piece.slice(piece.indexOf("=") + 1)
          : undefined
        : piece.length > 2
          ? piece.slice(2)
          : undefined;
      if (inline !== undefined) {
        out.values[option.name] = inline;
      } else if (pieces.length === 1 && i + 1 < tokens.length) {
        i++;
        out.values[option.name] = (tokens[i] as Token).text;
      }
    }
  }
  return out;
}

/** A literal value (not a `<placeholder>`); `a|b` alternatives are checked one by one. */
function badValues(value: string, allowed: readonly string[]): string[] {
  if (/[<$]/.test(value)) return [];
  return value
    .replace(/^[[(]+/, "")
    .replace(/[\])]+$/, "")
    .split("|")
    .filter((v) => v !== "" && !allowed.includes(v));
}

/** Resolves one invocation (the words after `baton`) and lists what the CLI would not accept. */
function checkWords(
  tokens: Token[],
  kind: SegmentKind,
): { command: string | null; flags: string[]; problems: string[] } {
  const problems: string[] = [];
  const flags: string[] = [];
  // Global flags may come before the command words: `baton -C ../repo --json status`.
  let i = 0;
  const leading: Token[] = [];
  while (
    i < tokens.length &&
    !(tokens[i] as Token).quoted &&
    /^-/.test((tokens[i] as Token).text)
  ) {
    const token = tokens[i] as Token;
    leading.push(token);
    const option = optionNamed(GLOBAL_OPTIONS, token.text);
    const needsValue =
      option?.type === "string" &&
      (token.text.startsWith("--") ? !token.text.includes("=") : token.text.length === 2);
    if (needsValue && i + 1 < tokens.length) leading.push(tokens[i + 1] as Token);
    i += needsValue ? 2 : 1;
  }
  const globals = parseFlags(leading, GLOBAL_OPTIONS, "baton (before the command)");
  flags.push(...globals.flags);
  problems.push(...globals.problems);

  const words: string[] = [];
  for (let j = i; j < tokens.length; j++) {
    const token = tokens[j] as Token;
    if (token.quoted || !COMMAND_WORD.test(token.text)) break;
    words.push(token.text);
  }
  const found = findCommand(words);
  if (!found) {
    const groups = new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]));
    const rest = tokens.slice(i + Math.min(words.length, 1));
    if (words.length === 0 || (groups.has(words[0] as string) && words.length === 1)) {
      // `baton --help`, or a group named on its own: `baton ticket --help`.
      const tail = parseFlags(rest, GLOBAL_OPTIONS, `baton ${words.join(" ")}`.trim());
      flags.push(...tail.flags);
      problems.push(...tail.problems);
    } else if (groups.has(words[0] as string)) {
      problems.push(`baton ${words[0]} has no subcommand ${JSON.stringify(words[1])}`);
    } else {
      problems.push(`unknown command ${JSON.stringify(words[0])}`);
    }
    return { command: null, flags, problems };
  }
  const name = found.command.path.join(" ");
  const rest = tokens.slice(i + found.used);
  const parsed = parseFlags(
    rest,
    [...(found.command.options ?? []), ...GLOBAL_OPTIONS],
    `baton ${name}`,
  );
  flags.push(...parsed.flags);
  problems.push(...parsed.problems);
  // Prose words after a command are not its arguments; only code is checked for values.
  if (kind !== "prose") {
    for (const [option, allowed] of Object.entries(ENUM_OPTIONS[name] ?? {})) {
      const value = parsed.values[option];
      if (value === undefined) continue;
      for (const bad of badValues(value, allowed))
        problems.push(`--${option} ${bad}: expected one of ${allowed.join(", ")}`);
    }
    for (const [index, allowed] of Object.entries(ENUM_POSITIONALS[name] ?? {})) {
      const token = parsed.positionals[Number(index)];
      if (!token) continue;
      for (const bad of badValues(token.text, allowed))
        problems.push(`${JSON.stringify(bad)} is not one of ${allowed.join(", ")}`);
    }
  }
  return { command: name, flags, problems };
}

/** Lowercase `baton` as a word of its own, not `.baton/`, `baton.js`, `baton-planning` or `Baton`. */
const BATON = /(?<![\w./@-])baton(?=[ \t]+\S)/g;

/** Every `baton …` invocation in a Markdown text and the problems the CLI would have with it. */
export function checkText(text: string, file = "<text>"): CheckResult {
  const result: CheckResult = { invocations: [], findings: [] };
  for (const segment of segments(text)) {
    for (const match of segment.text.matchAll(BATON)) {
      const after = segment.text.slice((match.index ?? 0) + match[0].length);
      const rest = segment.kind === "prose" ? clauseOf(after) : after;
      const tokens = tokenize(rest);
      if (!looksLikeInvocation(tokens[0])) continue;
      const shown = `baton ${tokens.map((t) => (t.quoted ? JSON.stringify(t.text) : t.text)).join(" ")}`;
      const { command, flags, problems } = checkWords(tokens, segment.kind);
      result.invocations.push({
        file,
        line: segment.line,
        kind: segment.kind,
        text: shown,
        command,
        flags,
      });
      for (const problem of problems)
        result.findings.push({ file, line: segment.line, text: shown, problem });
    }
  }
  return result;
}

/** Inline code spans that look like error codes (`NO_TASKS`) must be codes the CLI has. */
export function checkErrorCodes(text: string, file = "<text>"): Finding[] {
  const findings: Finding[] = [];
  const known = new Set<string>(ERROR_CODES);
  text.split(/\r?\n/).forEach((line, index) => {
    const codes = [...line.matchAll(/`([A-Z][A-Z]*_[A-Z_]*[A-Z]|USAGE|INTERNAL)`/g)].map(
      (m) => m[1] as string,
    );
    // A table row `| 4 | … | `NO_TASKS` … |` claims those codes exit with 4.
    const exit = /^\|\s*(\d)\s*\|/.exec(line)?.[1];
    for (const code of codes) {
      if (!known.has(code)) {
        findings.push({ file, line: index + 1, text: code, problem: "unknown error code" });
      } else if (exit !== undefined && exitCodeFor(code as ErrorCode) !== Number(exit)) {
        findings.push({
          file,
          line: index + 1,
          text: code,
          problem: `exits with ${exitCodeFor(code as ErrorCode)}, not ${exit}`,
        });
      }
    }
  });
  return findings;
}

/** The MCP tools `baton mcp` serves, by the names agents call them. */
export const MCP_TOOL_NAMES: readonly string[] = TOOLS.map((t) => t.name);

/**
 * MCP tools named the way agents see them, `mcp__baton__<tool>` (Claude Code's spelling, which
 * others follow), or in a code span right after the words "MCP tool", must be tools the server
 * has.
 */
export function checkMcpTools(
  text: string,
  file = "<text>",
  tools: readonly string[] = MCP_TOOL_NAMES,
): Finding[] {
  const findings: Finding[] = [];
  const known = new Set(tools);
  text.split(/\r?\n/).forEach((line, index) => {
    const names = [
      ...[...line.matchAll(/mcp__baton__([A-Za-z0-9_-]+)/g)].map((m) => m[1] as string),
      ...[...line.matchAll(/MCP tools? `([A-Za-z0-9_-]+)`/gi)].map((m) => m[1] as string),
    ];
    for (const name of names)
      if (!known.has(name))
        findings.push({ file, line: index + 1, text: name, problem: "unknown MCP tool" });
  });
  return findings;
}

/** Every check on one agent file's text: commands, flags, values, error codes, MCP tools. */
export function checkAgentText(text: string, file: string): CheckResult {
  const result = checkText(text, file);
  result.findings.push(...checkErrorCodes(text, file), ...checkMcpTools(text, file));
  return result;
}

/** Every file under `dir`, recursively, as paths relative to `dir`, sorted. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Checks every file under `dir`; paths in the result are relative to `dir`. */
export function checkAgentFiles(dir: string): CheckResult {
  const all: CheckResult = { invocations: [], findings: [] };
  for (const file of listFiles(dir)) {
    const result = checkAgentText(fs.readFileSync(path.join(dir, file), "utf8"), file);
    all.invocations.push(...result.invocations);
    all.findings.push(...result.findings);
  }
  return all;
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}: ${f.text} — ${f.problem}`).join("\n");
}
