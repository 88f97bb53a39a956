/**
 * Finds the sentences a requirements linter should read, in the three layouts the corpus uses:
 *
 * - Kiro `requirements.md`: numbered items under `#### Acceptance Criteria` inside
 *   `### Requirement N`, in any language `vocabulary.ts` knows (`### 需求 1` / `#### 验收标准`);
 *   ids are `N.k`. Indented lines continue the item above.
 * - Spec Kit `spec.md`: `**FR-001**: System MUST …` lines (kind `requirement`) and numbered
 *   `**Given** … **When** … **Then** …` acceptance scenarios (kind `scenario`, id `US<story>.<k>`).
 * - OpenSpec `spec.md`: the statement under `### Requirement: Name` (kind `requirement`) and each
 *   `#### Scenario: Name` with its `- **WHEN**` / `- **THEN**` bullets (kind `scenario`).
 *   Requirements under `## REMOVED Requirements` are skipped: they are being deleted.
 *
 * Each layout is a separate pass over the lines, so one file may mix them without confusing any.
 */
import type { Finding } from "./finding.ts";
import { FenceTracker, headingLevel, indentWidth, isBlank, splitLines } from "./text.ts";
import { isAcceptanceHeading, isAcceptanceLabel, requirementHeading } from "./vocabulary.ts";

export type StatementKind = "criterion" | "requirement" | "scenario";
export type Dialect = "kiro" | "speckit" | "openspec";

export interface Statement {
  kind: StatementKind;
  dialect: Dialect;
  id: string;
  /** 1-based line where the statement starts. */
  line: number;
  text: string;
}

export interface ExtractedStatements {
  statements: Statement[];
  problems: Finding[];
}

interface Line {
  no: number;
  raw: string;
  /** Heading level, 0 for other lines. */
  level: number;
  /** Heading text without the hashes, or the trimmed line. */
  text: string;
}

const LIST_ITEM = /^(\s*)(?:(\d+)[.)]|[-*+])\s+(.*)$/;

export function extractStatements(text: string): ExtractedStatements {
  const lines = readLines(text);
  const statements = [...kiroCriteria(lines), ...specKit(lines), ...openSpec(lines)];
  statements.sort((a, b) => a.line - b.line);
  return { statements, problems: duplicateIds(statements) };
}

/** Lines outside fenced code, with heading levels resolved once. */
function readLines(text: string): Line[] {
  const fences = new FenceTracker();
  const lines: Line[] = [];
  splitLines(text).forEach((raw, index) => {
    if (fences.step(raw)) return;
    const level = headingLevel(raw);
    const body =
      level > 0
        ? raw
            .trim()
            .replace(/^#+\s*/, "")
            .replace(/\s#+\s*$/, "")
        : raw.trim();
    lines.push({ no: index + 1, raw, level, text: body });
  });
  return lines;
}

function kiroCriteria(lines: readonly Line[]): Statement[] {
  const out: Statement[] = [];
  let requirement: { id: string; level: number } | null = null;
  let inCriteria = false;
  let ordinal = 0;
  let current: { statement: Statement; indent: number } | null = null;
  const flush = (): void => {
    if (current) out.push(current.statement);
    current = null;
  };
  for (const line of lines) {
    if (line.level > 0) {
      flush();
      const req = requirementHeading(line.text);
      if (req) requirement = { id: req.id, level: line.level };
      else if (requirement && line.level <= requirement.level) requirement = null;
      inCriteria = isAcceptanceHeading(line.text);
      ordinal = 0;
      continue;
    }
    // Some files write the section as a bold label instead of a heading.
    if (isAcceptanceLabel(line.text)) {
      flush();
      inCriteria = true;
      ordinal = 0;
      continue;
    }
    if (!inCriteria || isBlank(line.raw)) continue;
    const indent = indentWidth(line.raw);
    const item = LIST_ITEM.exec(line.raw);
    if (item && indent <= 3 && (!current || indent <= current.indent)) {
      flush();
      ordinal += 1;
      const number = item[2] ?? String(ordinal);
      const id = requirement ? `${requirement.id}.${number}` : item[2] ? number : `L${line.no}`;
      current = {
        statement: {
          kind: "criterion",
          dialect: "kiro",
          id,
          line: line.no,
          text: (item[3] as string).trim(),
        },
        indent,
      };
    } else if (current && indent > current.indent) {
      current.statement.text += ` ${line.text}`;
    } else {
      flush(); // a flush-left paragraph (e.g. **Note:**) ends the item
    }
  }
  flush();
  return out;
}

const FUNCTIONAL = /^\s*(?:[-*+]\s+)?\*\*((?:N?FR)-\d+[A-Za-z]?)\*\*\s*[:：]?\s*(.+)$/;
const USER_STORY = /^User Story\s+(\d+)/i;

function specKit(lines: readonly Line[]): Statement[] {
  const out: Statement[] = [];
  let story: string | null = null;
  let inOpenSpecScenario = false;
  for (const line of lines) {
    if (line.level > 0) {
      const match = USER_STORY.exec(line.text);
      story = match ? (match[1] as string) : line.level <= 3 ? null : story;
      inOpenSpecScenario = /^Scenario\s*:/i.test(line.text);
      continue;
    }
    const fr = FUNCTIONAL.exec(line.raw);
    if (fr) {
      const [id, text] = [fr[1] as string, (fr[2] as string).trim()];
      out.push({ kind: "requirement", dialect: "speckit", id, line: line.no, text });
      continue;
    }
    const item = LIST_ITEM.exec(line.raw);
    if (!item || inOpenSpecScenario) continue;
    const body = item[3] as string;
    const steps = new Set(
      [...body.matchAll(/\*\*(given|when|then)\*\*/gi)].map((m) => (m[1] as string).toLowerCase()),
    );
    if (!steps.has("given") && steps.size < 2) continue;
    const id = story && item[2] ? `US${story}.${item[2]}` : `L${line.no}`;
    out.push({ kind: "scenario", dialect: "speckit", id, line: line.no, text: body.trim() });
  }
  return out;
}

const OPENSPEC_REQUIREMENT = /^Requirement\s*:\s*(.+)$/i;
const OPENSPEC_SCENARIO = /^Scenario\s*:\s*(.+)$/i;

function openSpec(lines: readonly Line[]): Statement[] {
  const out: Statement[] = [];
  let removed = false;
  let block: { statement: Statement; collecting: boolean } | null = null;
  const flush = (): void => {
    if (block && !removed) out.push(block.statement);
    block = null;
  };
  for (const line of lines) {
    if (line.level > 0) {
      flush();
      if (line.level <= 2) removed = /\bREMOVED\b/.test(line.text);
      const req = OPENSPEC_REQUIREMENT.exec(line.text);
      const scenario = OPENSPEC_SCENARIO.exec(line.text);
      const [kind, name] = req
        ? (["requirement", req[1]] as const)
        : scenario
          ? (["scenario", scenario[1]] as const)
          : [null, null];
      if (kind && name) {
        const id = name.trim();
        block = {
          statement: { kind, dialect: "openspec", id, line: line.no, text: "" },
          collecting: true,
        };
      }
      continue;
    }
    if (!block?.collecting) continue;
    const statement: Statement = block.statement;
    if (isBlank(line.raw)) {
      // The requirement statement is its first paragraph; reasons and notes may follow it.
      if (statement.kind === "requirement" && statement.text !== "") block.collecting = false;
      continue;
    }
    if (statement.text === "" && statement.kind === "requirement") statement.line = line.no;
    statement.text += statement.kind === "scenario" ? `${line.raw.trimEnd()}\n` : ` ${line.text}`;
  }
  flush();
  for (const statement of out) statement.text = statement.text.trim();
  return out;
}

/** Two criteria with one id (e.g. `5.` written twice) make references to either ambiguous. */
function duplicateIds(statements: readonly Statement[]): Finding[] {
  const seen = new Map<string, number>();
  const problems: Finding[] = [];
  for (const statement of statements) {
    if (statement.kind === "scenario" || /^L\d+$/.test(statement.id)) continue;
    const key = `${statement.dialect}:${statement.id}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, statement.line);
      continue;
    }
    problems.push({
      line: statement.line,
      severity: "warning",
      code: "EARS_DUPLICATE_ID",
      message: `${statement.kind} ${statement.id} is also numbered so on line ${first}`,
      hint: "renumber the list so every criterion has its own id",
    });
  }
  return problems;
}
