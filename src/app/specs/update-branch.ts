import { BatonError } from "../../core/errors.ts";
import { branchNameProblem } from "../../core/git.ts";
import { recordEvent } from "../../store/events.ts";
import { writeSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { loadSpec, resolveName } from "./folder.ts";

export interface UpdateBranchResult {
  name: string;
  previous: string | null;
  last_known_branch: string | null;
  changed: boolean;
}

export const updateBranchOperation = defineOperation({
  name: "spec update-branch",
  summary: "record the branch a spec is worked on (a hint; null clears it)",
  description:
    "Records the agent's decision in status.yaml's last_known_branch. The branch need not exist yet, and several specs may share one. Baton does not touch git.",
  examples: [
    "baton spec update-branch --spec user-auth --branch feature/user-auth",
    "baton spec update-branch --branch feature/user-auth --json",
    "baton spec update-branch --spec user-auth --branch null",
  ],
  access: "write",
  input: {
    spec: {
      type: "string",
      description: "the spec's name (default: the active spec)",
      cli: { value: "<name>" },
    },
    branch: {
      type: "string",
      min: 1,
      required: true,
      description: "the branch name, or null to clear the hint",
      cli: { value: "<branch|null>" },
    },
  },
  tool: {
    description:
      'Record the branch hint of a spec, decided from spec_status\'s git facts ("null" clears it); Baton never switches branches.',
  },
  /**
   * Records the agent's decision as the spec's branch hint. The branch need not exist yet;
   * `null` clears the hint.
   */
  run(env, input): Promise<UpdateBranchResult> {
    const ctx = env.context();
    const branch = input.branch === "null" ? null : input.branch;
    if (branch !== null) {
      const problem = branchNameProblem(branch);
      if (problem) {
        throw new BatonError(
          "INVALID_INPUT",
          `${JSON.stringify(branch.slice(0, 80))} is not a valid branch name: ${problem}`,
          "pass a git branch name such as feature/user-auth, or --branch null to clear the hint",
        );
      }
    }
    const { ws } = ctx;
    return withWorkspaceLock(ws, () => {
      const name = resolveName(ws, input.spec);
      const status = loadSpec(ws, name);
      const previous = status.last_known_branch;
      if (previous === branch) return { name, previous, last_known_branch: branch, changed: false };
      const now = isoNow(ctx);
      writeSpecStatus(ws, { ...status, last_known_branch: branch, updated: now });
      recordEvent(ws, "spec.branch_updated", now, { spec: name, from: previous, to: branch });
      return { name, previous, last_known_branch: branch, changed: true };
    });
  },
});
