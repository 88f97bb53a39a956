import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { parseFrontmatter } from "../../core/frontmatter.ts";
import { basenameRel } from "../../core/rel-path.ts";
import {
  type DerivedName,
  type SpecLayout,
  specLayout,
  specNameFrom,
} from "../../core/spec/folders.ts";
import { newSpecStatus, type SpecStatus, type Stage } from "../../core/spec/status.ts";
import { recordEvent } from "../../store/events.ts";
import { pathWithin, readTextOrNull, userPath } from "../../store/files.ts";
import {
  findStatusFolders,
  pathKind,
  planningPath,
  readStatusRecord,
} from "../../store/spec-folders.ts";
import { readSpecStatus, specStatusPath, writeSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { Workspace } from "../../store/workspace.ts";
import { fullYaml } from "../../store/yaml.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { activateIfNone, samePath } from "./folder.ts";

export interface SetupResult {
  name: string;
  /** The name as the spec wrote it, when folding it into a folder name changed it. */
  written_name: string | null;
  spec: string;
  layout: SpecLayout;
  folder: string;
  status_file: string;
  stage: Stage;
  /** False when the spec was already set up exactly so: nothing was written. */
  changed: boolean;
  /** True when it became the active spec because none was. */
  activated: boolean;
}

export const setupOperation = defineOperation({
  name: "spec setup",
  summary: "create a spec's planning folder and status.yaml from its file or folder",
  description:
    "A spec file is named by its YAML frontmatter `name`; a spec folder (Kiro .kiro/specs/<name>/, Spec Kit specs/NNN-<name>/, an OpenSpec change openspec/changes/<id>/, or any folder) by the folder's name, Spec Kit's number included. Writes {planning.dir}/<name>/status.yaml (stage draft, no branch hint) and makes the spec the active one when none is. Running it again changes nothing.",
  examples: [
    "baton spec setup --spec .kiro/specs/user-auth",
    "baton spec setup --spec specs/001-user-auth --json",
    "baton spec setup --spec openspec/changes/add-2fa",
    "baton spec setup --spec docs/specs/billing.md",
  ],
  access: "write",
  input: {
    spec: {
      type: "string",
      min: 1,
      required: true,
      description: "the spec file (with frontmatter name) or spec folder",
      cli: { value: "<path>" },
    },
  },
  tool: {
    description:
      "Create a spec's planning folder and status.yaml from a spec file (frontmatter name), a Kiro .kiro/specs/<name>/ or a Spec Kit specs/NNN-<name>/ folder.",
  },
  run: (env, input) => setupSpec(env.context(), env.cwd, input.spec),
});

/**
 * `baton spec setup --spec <path>` (relative to `cwd`): status.yaml for a spec file (named by its
 * frontmatter `name`) or a spec folder (named after the folder). Re-running changes nothing.
 */
function setupSpec(ctx: AppContext, cwd: string, specPath: string): Promise<SetupResult> {
  const { ws } = ctx;
  const absolute = userPath(cwd, specPath);
  const rel = pathWithin(ws.root, absolute);
  if (rel === null || rel === "") {
    throw new BatonError(
      "INVALID_INPUT",
      rel === ""
        ? "the workspace root itself is not a spec"
        : `${specPath} is outside the workspace ${ws.root}`,
      "pass a spec file or folder inside the repository, e.g. --spec .kiro/specs/user-auth",
    );
  }
  const kind = pathKind(ws, absolute);
  if (kind === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `no spec file or folder at ${rel}`,
      "pass an existing spec file (with frontmatter name) or folder, e.g. --spec specs/001-auth",
    );
  }
  const layout = specLayout(rel, kind === "folder");
  const derived =
    kind === "file" ? nameFromFile(ws, absolute, rel) : specNameFrom(basenameRel(rel), rel);
  const name = derived.name;
  return withWorkspaceLock(ws, () => {
    const result = (status: SpecStatus, changed: boolean, activated = false): SetupResult => ({
      name,
      written_name: derived.written,
      spec: status.spec,
      layout,
      folder: ws.rel(planningPath(ws, name)),
      status_file: ws.rel(specStatusPath(ws, name)),
      stage: status.stage,
      changed,
      activated,
    });
    const existing = readSpecStatus(ws, name);
    if (existing) {
      if (samePath(existing.spec, rel)) return result(existing, false);
      throw new BatonError(
        "STATE_CONFLICT",
        `${rel} would be the spec ${name}${derived.written ? ` (from the name ${JSON.stringify(derived.written)})` : ""}, but ${ws.config.planning.dir}/${name} already belongs to ${existing.spec}`,
        "give one of the two specs a different name (frontmatter name, or rename its folder)",
      );
    }
    assertNotSetUpElsewhere(ws, rel, name);
    const now = isoNow(ctx);
    const status = newSpecStatus(name, rel, "draft", now);
    writeSpecStatus(ws, status);
    recordEvent(ws, "spec.setup", now, { spec: name, path: rel, layout });
    return result(status, true, activateIfNone(ws, name, now));
  });
}

function nameFromFile(ws: Workspace, absolute: string, rel: string): DerivedName {
  const text = readTextOrNull(ws, absolute) ?? "";
  const { data } = parseFrontmatter(text, rel, fullYaml);
  const written = data?.name;
  if (typeof written === "string" || typeof written === "number") {
    return specNameFrom(String(written), rel);
  }
  const base = basenameRel(rel).replace(/\.[^.]*$/, "");
  throw new BatonError(
    "INVALID_INPUT",
    `${rel} has no frontmatter name${written !== undefined && written !== null ? " (name must be text)" : ""}`,
    `start the file with three lines "---", "name: ${/^[a-z0-9][a-z0-9-]*$/.test(base) ? base : "user-auth"}", "---", or pass the spec's folder instead`,
  );
}

/** One spec document gets one planning folder: refuse setting it up again under a new name. */
function assertNotSetUpElsewhere(ws: Workspace, rel: string, name: string): void {
  for (const folder of findStatusFolders(ws)) {
    if (folder === name) continue;
    let record: Record<string, unknown>;
    try {
      record = readStatusRecord(ws, folder);
    } catch {
      continue; // an unreadable status.yaml cannot claim anything
    }
    if (typeof record.spec === "string" && samePath(record.spec, rel)) {
      throw new BatonError(
        "STATE_CONFLICT",
        `${rel} is already set up as ${String(record.name)} in ${ws.config.planning.dir}/${folder}`,
        folder === record.name
          ? `use that spec (${cmd("spec status", { spec: folder })}); to rename it, edit name in its status.yaml, then run ${cmd("spec migrate")}`
          : `move it to a folder named after the spec first: ${cmd("spec migrate")}`,
      );
    }
  }
}
