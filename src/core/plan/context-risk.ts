/**
 * Phase 2's conflict risk: other open plans and specs declaring the plan's declared files, uncommitted
 * changes in them, and changes to public APIs or data models. Pure and deterministic.
 */

export const RISK_LEVELS = ["none", "low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface Overlap {
  /** `plan` for another plan's task files, `spec` for a spec's tasks.md mentioning the paths. */
  kind: "plan" | "spec";
  /** The other plan's topic id or the spec's name. */
  with: string;
  files: string[];
}

export interface ConflictDetection {
  risk_level: RiskLevel;
  risk_factors: string[];
  affected_modules: string[];
  mitigation_strategy: string;
  overlaps: Overlap[];
  uncommitted_files: string[];
  public_api_files: string[];
}

export interface RiskInput {
  /** The files this plan is likely to touch, workspace-relative. */
  affected: readonly string[];
  /**
   * The files it declares (named in its text, listed by its tasks): overlaps with other work
   * are measured on these alone, never on keyword matches.
   */
  declared: readonly string[];
  /** Other open plans and specs with the files they name. */
  others: readonly { kind: "plan" | "spec"; with: string; files: readonly string[] }[];
  /** Workspace-relative paths with uncommitted changes. */
  uncommitted: readonly string[];
}

const PUBLIC_API =
  /(^|\/)(index|exports?|api|public|schema|schemas|models?|migrations?)(\/|\.[a-z0-9]+$)|(^|\/)[^/]*(\.d\.ts|schema\.[a-z]+|model\.[a-z]+|\.proto|\.graphql|\.sql)$/i;

/** A public API or data-model file by name: index/exports/api/schema/model/migration. */
export function isPublicApiFile(file: string): boolean {
  return PUBLIC_API.test(file);
}

/** The module of a file: its first two folders (`src/core`), or the file itself at the root. */
export function moduleOf(file: string): string {
  const parts = file.split("/");
  if (parts.length === 1) return ".";
  return parts.slice(0, Math.min(2, parts.length - 1)).join("/");
}

export function assessRisk(input: RiskInput): ConflictDetection {
  const affected = new Set(input.affected);
  const declared = new Set(input.declared);
  const overlaps: Overlap[] = [];
  for (const other of input.others) {
    const files = [...new Set(other.files.filter((f) => declared.has(f)))].sort();
    if (files.length > 0) overlaps.push({ kind: other.kind, with: other.with, files });
  }
  overlaps.sort((a, b) => (a.kind + a.with < b.kind + b.with ? -1 : 1));
  const uncommitted = [...new Set(input.uncommitted.filter((f) => affected.has(f)))].sort();
  const api = [...affected].filter(isPublicApiFile).sort();

  const factors: string[] = [];
  let points = 0;
  for (const o of overlaps) {
    points += 2;
    factors.push(
      `${o.kind === "plan" ? "open plan" : "spec"} ${o.with} touches ${o.files.length} of the same file${o.files.length === 1 ? "" : "s"}: ${o.files.slice(0, 5).join(", ")}`,
    );
  }
  if (uncommitted.length > 0) {
    points += 1;
    factors.push(
      `uncommitted changes in ${uncommitted.length} affected file${uncommitted.length === 1 ? "" : "s"}: ${uncommitted.slice(0, 5).join(", ")}`,
    );
  }
  if (api.length > 0) {
    points += 1;
    factors.push(`public API or data model files affected: ${api.slice(0, 5).join(", ")}`);
  }
  const risk_level: RiskLevel =
    points === 0 ? "none" : points === 1 ? "low" : points <= 3 ? "medium" : "high";
  const involved = new Set<string>([...overlaps.flatMap((o) => o.files), ...uncommitted, ...api]);
  const affected_modules = [...new Set([...involved].map(moduleOf))].sort();
  const steps: string[] = [];
  if (overlaps.some((o) => o.kind === "plan"))
    steps.push("sequence or coordinate with the overlapping plans");
  if (overlaps.some((o) => o.kind === "spec"))
    steps.push("align the tasks with the overlapping specs");
  if (uncommitted.length > 0) steps.push("commit or stash the uncommitted changes before starting");
  if (api.length > 0)
    steps.push("keep public interfaces backward compatible or version the change");
  return {
    risk_level,
    risk_factors: factors,
    affected_modules,
    mitigation_strategy: steps.length === 0 ? "none needed" : `${steps.join("; ")}.`,
    overlaps,
    uncommitted_files: uncommitted,
    public_api_files: api,
  };
}

export function riskAtLeast(level: RiskLevel, min: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(min);
}
