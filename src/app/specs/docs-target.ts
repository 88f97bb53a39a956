/**
 * The documents `spec lint` and `spec trace` read: a spec by name (its planning folder's spec
 * path) or any folder or file named by path.
 */

import { cmd } from "../../core/command-ref.ts";
import { BatonError, isBatonError } from "../../core/errors.ts";
import type { Field } from "../../core/fields.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import { pathWithin, shownFrom, userPath, userReader, workspaceReader } from "../../store/files.ts";
import { hasSpecStatus, specDocumentsPath, specStatusPath } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { openWorkspace, type Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import type { OpEnv } from "../operation.ts";
import { checkSpec, saveReopen } from "./approval.ts";
import { locateDocs, type SpecDocs } from "./documents.ts";

export interface DocsTarget {
  cwd: string;
  target: string;
  notice: (message: string) => void;
  now?: () => Date;
  /**
   * Only documents inside this folder may be read (the workspace root, for an agent: its tool
   * call must not read files elsewhere on the machine). The CLI reads any path its user names,
   * as a linter does.
   */
  within?: string;
}

/** The target an operation names: confined to the workspace for an agent (`env.confined`). */
export function docsTarget(env: OpEnv, target: string): DocsTarget {
  return {
    cwd: env.cwd,
    target,
    notice: env.notice,
    now: env.now,
    ...(env.confined ? { within: env.context().ws.root } : {}),
  };
}

/** What `spec lint` and `spec trace` take: a spec's name, or a path to its documents. */
export const SPEC_TARGET = {
  type: "string",
  min: 1,
  required: true,
  description: "a spec name (its planning folder) or a folder / file holding the documents",
  cli: { positional: true, value: "<name|path>" },
} as const satisfies Field;

/** A spec name is a bare word; anything with a slash, a dot-name or `.md` is a path. */
function looksLikePath(target: string): boolean {
  return /[\\/]/.test(target) || target === "." || target === ".." || /\.md$/i.test(target);
}

/**
 * Runs `work` on a spec's documents. A spec name is read under the workspace lock, where an
 * approved spec whose documents changed is sent back to review (saved, with a notice); a path
 * (or a name that is no spec but an existing folder) is read as it is, without a workspace.
 */
export async function withDocs<T>(input: DocsTarget, work: (docs: SpecDocs) => T): Promise<T> {
  const { cwd, target, notice } = input;
  const now = input.now ?? (() => new Date());
  const fromCwd = userPath(cwd, target);
  const asPath = () => {
    if (input.within !== undefined && pathWithin(input.within, fromCwd) === null) {
      throw new BatonError(
        "INVALID_INPUT",
        `${target} is outside the workspace`,
        `name a spec (${cmd("spec list")}) or a documents folder inside the repository`,
      );
    }
    return work({
      spec: null,
      stage: null,
      reopened: false,
      ...locateDocs(fromCwd, (abs) => shownFrom(cwd, abs), userReader),
    });
  };
  if (looksLikePath(target)) return asPath();
  assertSpecName(target);
  let ws: Workspace;
  try {
    ws = openWorkspace(cwd);
  } catch (error) {
    if (!isBatonError(error) || error.code !== "NO_WORKSPACE") throw error;
    if (userReader.kind(fromCwd) !== null) return asPath();
    throw new BatonError(
      "NO_WORKSPACE",
      `${error.message}, and there is no folder or file ${target} here`,
      `run it in a Baton workspace, or pass the documents' path (e.g. ./${target})`,
    );
  }
  if (!hasSpecStatus(ws, target) && userReader.kind(fromCwd) !== null) return asPath();
  const ctx: AppContext = { ws, notice, now };
  return withWorkspaceLock(ws, () => {
    const checked = checkSpec(ctx, target);
    const docs = specDocumentsPath(ws, checked.status);
    if (input.within !== undefined && pathWithin(input.within, docs) === null) {
      throw new BatonError(
        "INVALID_INPUT",
        `spec ${target} points at ${checked.status.spec}, outside the workspace`,
        `fix the spec path in ${ws.rel(specStatusPath(ws, target))}`,
      );
    }
    const located = locateDocs(docs, (abs) => ws.rel(abs), workspaceReader(ws));
    const result = work({
      spec: checked.status.name,
      stage: checked.status.stage,
      reopened: checked.reopened,
      ...located,
    });
    // Saved only once the command has succeeded: a refused command changes nothing, and the
    // next one finds the same change again.
    saveReopen(ctx, checked);
    return result;
  });
}
