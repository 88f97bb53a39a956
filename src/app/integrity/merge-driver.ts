/**
 * `baton merge-driver <base> <ours> <theirs> [<path>]`: the merge driver `init` registers with
 * git (`merge.baton.driver`) for the files a union of lines cannot merge (`.gitattributes`
 * names them). git runs it with its temporary files; the merge, by record, is written into
 * `ours`. What it cannot merge (a version that does not parse, two edits of the same prose) it
 * refuses with a non-zero exit, leaving `ours` as it was, so git reports a conflict and no file
 * Baton reads ever holds conflict markers.
 */
import {
  type MergeKind,
  type MergeOutcome,
  maskGenerated,
  mergeBacklog,
  mergeCatalog,
  mergeJournal,
  mergeKindOf,
  mergeRefused,
  mergeSession,
  unmaskGenerated,
} from "../../core/merge.ts";
import { readUserFile, userPath, writeUserFile } from "../../store/files.ts";
import { mergeTexts } from "../../store/git.ts";
import { defineOperation } from "../operation.ts";

export interface MergeDriverResult {
  /** The file merged, as git named it (or the temporary file, when git gave no path). */
  path: string;
  kind: MergeKind;
}

const MERGES: Record<Exclude<MergeKind, "planning-journal">, typeof mergeCatalog> = {
  catalog: mergeCatalog,
  session: mergeSession,
  journal: mergeJournal,
  backlog: mergeBacklog,
};

/**
 * PLANNING.md: the text people wrote around the generated sections merges as git merges text;
 * the sections themselves are views the next command rewrites, kept from ours meanwhile.
 */
function mergePlanningJournal(base: string, ours: string, theirs: string): MergeOutcome {
  const [b, o, t] = [base, ours, theirs].map(maskGenerated) as [
    ReturnType<typeof maskGenerated>,
    ReturnType<typeof maskGenerated>,
    ReturnType<typeof maskGenerated>,
  ];
  const merged = mergeTexts(b.masked, o.masked, t.masked);
  if (merged === null) {
    return {
      ok: false,
      reason: "both branches changed the same lines outside the generated sections",
    };
  }
  return { ok: true, text: unmaskGenerated(merged, o.sections, t.sections), notes: [] };
}

export const mergeDriverOperation = defineOperation({
  name: "merge-driver",
  summary: "git's merge driver for Baton's catalog, sessions, journal and backlog maps",
  description:
    "Run by git during a merge, never by hand: baton init registers it in .git/config (merge.baton.driver = npx --no baton merge-driver %O %A %B %P) and .gitattributes names the files it merges. index.json is merged by topic id (the newer updated wins each field, relations unite), a planning session field by field (spikes unite), journal.json's notes, decisions and next steps as sets, a plan's backlog.json by task, and PLANNING.md as text outside its generated sections. The merge is written into <ours>; what cannot be merged exits non-zero with <ours> left as it was, so git reports a conflict rather than writing conflict markers.",
  examples: ["baton merge-driver %O %A %B %P"],
  access: "write",
  input: {
    base: {
      type: "string",
      min: 1,
      required: true,
      description: "the common ancestor's version (git's %O; empty when there is none)",
      cli: { positional: true },
    },
    ours: {
      type: "string",
      min: 1,
      required: true,
      description: "this branch's version, where the merge is written (git's %A)",
      cli: { positional: true },
    },
    theirs: {
      type: "string",
      min: 1,
      required: true,
      description: "the other branch's version (git's %B)",
      cli: { positional: true },
    },
    path: {
      type: "string",
      description: "the file's path in the repository (git's %P): which file it is",
      cli: { positional: true },
    },
  },
  tool: false,
  withoutTool: "git runs it during a merge, on the temporary files git names",
  run(env, input): MergeDriverResult {
    const files = [input.base, input.ours, input.theirs].map((f) => userPath(env.cwd, f)) as [
      string,
      string,
      string,
    ];
    const shown = input.path ?? input.ours;
    const [base, ours, theirs] = files.map((f) => readUserFile(f)) as [
      string | null,
      string | null,
      string | null,
    ];
    if (ours === null || theirs === null) {
      throw mergeRefused(shown, `${ours === null ? input.ours : input.theirs} is not there`);
    }
    const kind = mergeKindOf(input.path ?? null, [ours, theirs]);
    if (kind === null) {
      throw mergeRefused(
        shown,
        "it is none of the files Baton merges (index.json, a planning session, journal.json, backlog.json, PLANNING.md)",
      );
    }
    const merge = kind === "planning-journal" ? mergePlanningJournal : MERGES[kind];
    const outcome = merge(base ?? "", ours, theirs);
    if (!outcome.ok) throw mergeRefused(shown, outcome.reason);
    writeUserFile(files[1], outcome.text);
    for (const note of outcome.notes) env.notice(`${shown}: ${note}`);
    return { path: shown, kind };
  },
});
