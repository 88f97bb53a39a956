/**
 * Lints requirement documents against EARS and returns, next to the findings, how each statement
 * was classified so a caller can report pattern statistics.
 *
 * What is checked, per layout (see `spec-statements.ts` for how statements are found):
 * - Kiro acceptance criteria: the full EARS check with SHALL as the only obligation word, since
 *   Kiro's own template is EARS.
 * - Spec Kit `FR-xxx` and OpenSpec `Requirement:` statements: the same check, but MUST counts as
 *   the obligation too, because both tools write RFC 2119 MUST in their templates
 *   ("System MUST …") and OpenSpec's validator accepts SHALL or MUST.
 * - Scenarios (Spec Kit Given/When/Then, OpenSpec WHEN/THEN bullets): not EARS; only that each
 *   one has a WHEN and a THEN step (Given is optional: OpenSpec's format has none).
 * Spec Kit success criteria (`SC-xxx`) are measurable outcomes, not behaviour, and are skipped.
 *
 * Criteria written entirely in another language without EARS keywords get a warning, not an
 * error: they may be fine requirements, this linter just cannot read them. A document with no
 * statement at all is an error: nothing in it was checked.
 */
import {
  classifyEars,
  type EarsKeyword,
  type EarsPattern,
  type EarsProblem,
} from "./ears-classify.ts";
import { vagueTerms } from "./ears-vague.ts";
import type { FileFinding } from "./finding.ts";
import { type Dialect, extractStatements, type Statement } from "./spec-statements.ts";

export type { EarsKeyword, EarsPattern } from "./ears-classify.ts";
export type { Dialect } from "./spec-statements.ts";

export interface EarsCriterion {
  /** `1.3` (Kiro requirement 1, criterion 3), `FR-001`, or an OpenSpec requirement name. */
  id: string;
  line: number;
  kind: "criterion" | "requirement";
  dialect: Dialect;
  text: string;
  pattern: EarsPattern;
  keywords: EarsKeyword[];
}

export interface ScenarioCheck {
  id: string;
  line: number;
  dialect: Dialect;
  /** Steps the scenario lacks, from "WHEN" and "THEN"; empty when complete. */
  missing: ("WHEN" | "THEN")[];
}

export interface EarsReport {
  findings: FileFinding[];
  criteria: EarsCriterion[];
  scenarios: ScenarioCheck[];
}

const OBLIGATIONS: Record<Dialect, readonly string[]> = {
  kiro: ["SHALL"],
  speckit: ["SHALL", "MUST"],
  openspec: ["SHALL", "MUST"],
};

export function lintEars(text: string, file: string): EarsReport {
  const { statements, problems } = extractStatements(text);
  const findings: FileFinding[] = problems.map((problem) => ({ file, ...problem }));
  const criteria: EarsCriterion[] = [];
  const scenarios: ScenarioCheck[] = [];
  const report = (statement: Statement, problem: EarsProblem): void => {
    findings.push({
      file,
      line: statement.line,
      ...problem,
      message: `${statement.id}: ${problem.message}`,
    });
  };

  for (const statement of statements) {
    if (statement.kind === "scenario") {
      const check = checkScenario(statement);
      scenarios.push(check);
      if (check.missing.length > 0) {
        report(statement, {
          severity: "warning",
          code: "SCENARIO_INCOMPLETE",
          message: `scenario has no ${check.missing.join(" or ")} step`,
          hint: "give every scenario a WHEN (the action) and a THEN (the observable outcome)",
        });
      }
      continue;
    }
    const result = classifyEars(statement.text, { obligations: OBLIGATIONS[statement.dialect] });
    criteria.push({
      id: statement.id,
      line: statement.line,
      kind: statement.kind,
      dialect: statement.dialect,
      text: statement.text,
      pattern: result.pattern,
      keywords: result.keywords,
    });
    for (const problem of result.problems) report(statement, problem);
    const vague = vagueTerms(statement.text);
    if (vague.length > 0) {
      report(statement, {
        severity: "warning",
        code: "EARS_VAGUE_TERM",
        message: `vague wording: ${vague.map((term) => `"${term}"`).join(", ")}`,
        hint: "replace it with something a test can check (a limit, a number, a named behaviour)",
      });
    }
  }

  if (statements.length === 0) {
    // A requirements document nothing can be read from checks nothing: never "ok".
    findings.push({
      file,
      line: 1,
      severity: "error",
      code: "EARS_NO_CRITERIA",
      message: "no acceptance criteria, FR-xxx requirements or scenarios were found",
      hint: 'put criteria as a numbered list under "#### Acceptance Criteria" inside "### Requirement 1" (Spec Kit: **FR-001**: lines; OpenSpec: ### Requirement: Name)',
    });
  }
  findings.sort((a, b) => a.line - b.line);
  return { findings, criteria, scenarios };
}

/** How many criteria fall in each pattern; every pattern is present, zero when unused. */
export function earsStats(criteria: readonly EarsCriterion[]): Record<EarsPattern, number> {
  const stats: Record<EarsPattern, number> = {
    ubiquitous: 0,
    "event-driven": 0,
    "state-driven": 0,
    "unwanted-behaviour": 0,
    "optional-feature": 0,
    complex: 0,
    unclassified: 0,
  };
  for (const criterion of criteria) stats[criterion.pattern] += 1;
  return stats;
}

function checkScenario(statement: Statement): ScenarioCheck {
  const text = statement.text.replace(/\*\*|__/g, "");
  const missing = (["WHEN", "THEN"] as const).filter(
    (step) => !new RegExp(`\\b${step}\\b`, "i").test(text),
  );
  return { id: statement.id, line: statement.line, dialect: statement.dialect, missing };
}
