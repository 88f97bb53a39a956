import type { DoctorResult } from "../../app/integrity/doctor.ts";
import type { MergeDriverResult } from "../../app/integrity/merge-driver.ts";
import type { Render } from "../derive.ts";

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function renderDoctor(r: DoctorResult): string {
  const lines: string[] = [];
  if (r.fixed.length > 0) {
    lines.push("Fixed:");
    for (const f of r.fixed) lines.push(`  ${f.file}: ${f.code}: ${f.did}`);
  }
  for (const f of r.findings) {
    const where = f.line === undefined ? f.file : `${f.file}:${f.line}`;
    lines.push(
      `${where}: ${f.severity} ${f.code}${f.fixable ? " (fixable)" : ""}: ${f.message}\n    hint: ${f.hint}`,
    );
  }
  if (r.findings.length === 0) lines.push("baton doctor: no problems found");
  else {
    const summary = `baton doctor: ${count(r.errors, "error")}, ${count(r.warnings, "warning")}`;
    lines.push(
      r.fixable > 0 ? `${summary}; ${r.fixable} fixable with baton doctor --fix` : summary,
    );
  }
  return lines.join("\n");
}

function renderMergeDriver(r: MergeDriverResult): string {
  return `baton: merged ${r.path} (${r.kind})`;
}

export const integrityRenderers: Readonly<Record<string, Render>> = {
  doctor: renderDoctor as Render,
  "doctor --fix": renderDoctor as Render,
  "merge-driver": renderMergeDriver as Render,
};
