/**
 * The readers of other tools' files, by format: where each looks under the path it is given,
 * which files it reads, and the pure function that turns them into an import plan.
 */
import { readBacklogMd, wantsBacklog } from "./backlogmd.ts";
import { readCcw, wantsCcw } from "./ccw.ts";
import type { ImportFormat, ImportPlan, ReaderDeps, SourceTree } from "./model.ts";
import { readSpecFolders, wantsSpecFile } from "./specs.ts";
import { readTaskmaster, wantsTaskmaster } from "./taskmaster.ts";

export interface FormatReader {
  /**
   * Folders below the path given where the format keeps its files (a project's `.kiro/specs`):
   * each that exists is walked; when none does, the path itself is.
   */
  bases: readonly string[];
  /** How many folders deep below a walked folder files are looked for. */
  depth: number;
  /** Whether a file found there (by its recorded path) is read; every file found is listed. */
  wants(path: string): boolean;
  read(tree: SourceTree, deps: ReaderDeps): ImportPlan;
}

export const FORMAT_READERS: Readonly<Record<ImportFormat, FormatReader>> = {
  kiro: {
    bases: [".kiro/specs"],
    depth: 3,
    wants: wantsSpecFile,
    read: (t) => readSpecFolders("kiro", t),
  },
  speckit: {
    bases: ["specs"],
    depth: 3,
    wants: wantsSpecFile,
    read: (t) => readSpecFolders("speckit", t),
  },
  openspec: {
    bases: ["openspec"],
    depth: 6,
    wants: wantsSpecFile,
    read: (t) => readSpecFolders("openspec", t),
  },
  taskmaster: {
    bases: [".taskmaster/tasks", "tasks"],
    depth: 2,
    wants: wantsTaskmaster,
    read: (t) => readTaskmaster(t),
  },
  backlogmd: { bases: ["backlog"], depth: 8, wants: wantsBacklog, read: readBacklogMd },
  ccw: { bases: [".workflow/active"], depth: 4, wants: wantsCcw, read: (t) => readCcw(t) },
};
