import { defineOperation } from "../operation.ts";
import { type DocsTarget, docsTarget, SPEC_TARGET, withDocs } from "./docs-target.ts";
import { type LintResult, lintDocs } from "./documents.ts";

export type { LintResult };

export const lintOperation = defineOperation({
  name: "spec lint",
  summary: "check acceptance criteria against EARS and the task list; exit 5 on errors",
  description:
    'Reads the documents in the folder\'s own layout: Kiro (requirements.md, design.md, tasks.md; headings in other languages too, e.g. ### 需求 1 / #### 验收标准), Spec Kit (spec.md, plan.md, tasks.md) or an OpenSpec change (proposal.md, optional design.md, tasks.md and every specs/<capability>/spec.md). Checks every acceptance criterion against the EARS patterns (a requirements document with no criteria at all is an error), reads tasks.md for malformed tasks and for requirement references (a reference to a requirement the spec does not define is an error, as in baton spec trace), and reports template placeholders left and missing documents. Each finding has file, line, severity, code, message and hint. Exit 0 when there are no errors (warnings allowed); exit 5 with error code LINT_FAILED when there are. With --json the output is always one document: {spec, stage, path, layout, files: {requirements, requirement_docs, design, tasks, proposal}, ok, errors, warnings, findings: [{file, line, severity, code, message, hint}], ears: {criteria, patterns}, tasks, reopened}, plus "error": {code: "LINT_FAILED", message, hint} when ok is false. Coverage (which task covers which criterion) is checked by baton spec trace.',
  examples: [
    "baton spec lint user-auth",
    "baton spec lint user-auth --json",
    "baton spec lint .kiro/specs/user-auth",
    "baton spec lint docs/requirements.md",
    "baton spec lint openspec/changes/add-2fa --json",
  ],
  access: "read",
  input: { name: SPEC_TARGET },
  cli: { failure: (r: LintResult) => (r.ok ? null : "LINT_FAILED") },
  tool: {
    description:
      "Check a spec's acceptance criteria (EARS) and task list; returns the counts and the findings, paged.",
    pageLists: ["findings"],
  },
  run: (env, input) => lintSpec(docsTarget(env, input.name)),
});

/**
 * `baton spec lint <name|path>`: every acceptance criterion against EARS (in every requirements
 * document: OpenSpec has one per capability), the task list's findings and its references to
 * requirements (the same unknown references `spec trace` reports), template placeholders left,
 * and missing documents. Errors make the result a failure (`ok: false`, `error.code`
 * LINT_FAILED); warnings do not.
 */
export function lintSpec(input: DocsTarget): Promise<LintResult> {
  return withDocs(input, lintDocs);
}
