/**
 * `baton doctor`'s checks, one row each: every state file is read through the reader the
 * commands use, and each refusal (a BatonError with its details) becomes a finding, so doctor and
 * the commands never disagree about a file; what was read is then handed to the pure checks
 * across files (`linkFindings`, src/core/doctor.ts). A new kind of state adds a row here (and its
 * logs to `stateLogs`, src/store/integrity.ts).
 */
import { cmd } from "../../core/command-ref.ts";
import {
  conflictMarkerLines,
  conflictMarkersFinding,
  finding,
  findingOf,
  linkFindings,
  noFacts,
  type PlannedFinding,
  repeatedLines,
  sourceLinks,
  type WorkspaceFacts,
} from "../../core/doctor.ts";
import { isBatonError } from "../../core/errors.ts";
import { topicTypeOf } from "../../core/ids.ts";
import { indexDuplicateIds, readCatalogFile } from "../../store/catalog-file.ts";
import { insideGitRepository, localGitConfig } from "../../store/git.ts";
import {
  deadWritersMarker,
  snapshotFiles,
  stateFiles,
  stateLogs,
  ticketFiles,
  topicFolders,
} from "../../store/integrity.ts";
import { journalStatePath, readJournalFile } from "../../store/journal.ts";
import {
  contextPath,
  readConflictResolution,
  readContextPackage,
  resolutionPath,
} from "../../store/plan-files.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readWorkflow, workflowPath } from "../../store/plan-workflow.ts";
import {
  readActivePlanningSession,
  readPlanningSnapshot,
  readText,
  readTicket,
  topicFile,
} from "../../store/repo.ts";
import {
  findStatusFolders,
  pathKind,
  planningPath,
  readActiveRaw,
} from "../../store/spec-folders.ts";
import {
  activeSpecMarker,
  readActiveSpec,
  readSpecStatus,
  specDocumentsPath,
  specStatusPath,
} from "../../store/specs.ts";
import {
  gitAttributeLines,
  MERGE_DRIVER,
  repoPath,
  type Workspace,
} from "../../store/workspace.ts";
import { readBacklogMap } from "../planning/backlog-files.ts";

/** One run of the checks: the findings so far and what was read for the checks across files. */
export interface Scan {
  ws: Workspace;
  now: string;
  findings: PlannedFinding[];
  facts: WorkspaceFacts;
}

/** A row of the table: what it checks, and how. */
export interface DoctorCheck {
  name: string;
  about: string;
  run(scan: Scan): void;
}

/**
 * Runs `reader` over `file` as the commands do. A file holding conflict markers is reported as
 * such and not read; a refusal becomes a finding about `shown`; either way the result is null.
 */
function read<T>(scan: Scan, file: string | null, shown: string, reader: () => T): T | null {
  try {
    if (file !== null) {
      const text = readText(scan.ws, file);
      const markers = text === null ? [] : conflictMarkerLines(text);
      if (markers.length > 0) {
        scan.findings.push(conflictMarkersFinding(shown, markers));
        return null;
      }
    }
    return reader();
  } catch (error) {
    if (!isBatonError(error)) throw error;
    scan.findings.push(findingOf(error, shown));
    return null;
  }
}

/** A Markdown file Baton writes into: it must hold no conflict markers. */
function markersOnly(scan: Scan, file: string): string | null {
  return read(scan, file, scan.ws.rel(file), () => readText(scan.ws, file));
}

const interrupted: DoctorCheck = {
  name: "interrupted",
  about: "a command that died inside its transaction (the crash marker)",
  run(scan) {
    const marker = deadWritersMarker(scan.ws);
    if (marker === null) return;
    scan.findings.push(
      finding(
        "INTERRUPTED_WRITE",
        "warning",
        marker.shown,
        `${marker.shown} is there and its writer is gone: a command was killed and left its change half made`,
        `the next command that writes undoes the change (or finishes it, if it had committed); ${cmd("doctor --fix")} does it now`,
        { repair: { kind: "interrupted" } },
      ),
    );
  },
};

const logs: DoctorCheck = {
  name: "logs",
  about: "events.jsonl and index.log.jsonl, line by line: bad, torn and repeated lines",
  run(scan) {
    for (const log of stateLogs(scan.ws)) {
      const result = read(scan, null, log.shown, () => log.scan());
      if (result === null) continue;
      const markers = result.lines
        .filter((l) => conflictMarkerLines(l.text).length > 0)
        .map((l) => l.line);
      if (markers.length > 0) scan.findings.push(conflictMarkersFinding(log.shown, markers));
      for (const l of result.lines) {
        if (l.error && !markers.includes(l.line)) scan.findings.push(findingOf(l.error, log.shown));
      }
      if (result.torn) {
        scan.findings.push(
          finding(
            "LOG_TORN_LINE",
            "warning",
            log.shown,
            `${log.shown}: line ${result.torn.line} is cut off (a writer was killed mid-append)`,
            `readers skip it and the next write cuts it off; ${cmd("doctor --fix")} cuts it now`,
            { line: result.torn.line, repair: { kind: "clean-log", file: log.shown } },
          ),
        );
      }
      const repeated = repeatedLines(result, log.key);
      if (repeated.length > 0) {
        scan.findings.push(
          finding(
            "LOG_REPEATED_LINE",
            "warning",
            log.shown,
            `${log.shown} holds ${repeated.length} line${repeated.length === 1 ? "" : "s"} twice (a merge kept both branches' copies); each is read once`,
            `${cmd("doctor --fix")} keeps each line once`,
            { line: repeated[0], repair: { kind: "clean-log", file: log.shown } },
          ),
        );
      }
      // One id on two different lines: two events claim to be one.
      const byId = new Map<string, string>();
      for (const l of result.lines) {
        const id = l.record === null ? null : log.key(l.record);
        if (id === null || log.kind !== "events") continue;
        const before = byId.get(id);
        if (before !== undefined && before !== l.text) {
          scan.findings.push(
            finding(
              "EVENT_ID_REUSED",
              "error",
              log.shown,
              `${log.shown}: line ${l.line} reuses the event id ${id} for another event`,
              "an event id is made once; fix the line by hand (give it a new id or remove it)",
              { line: l.line },
            ),
          );
        }
        byId.set(id, before ?? l.text);
      }
    }
  },
};

const catalog: DoctorCheck = {
  name: "catalog",
  about: "index.json as every command reads it, and ids it lists twice",
  run(scan) {
    const file = stateFiles(scan.ws).catalog;
    const shown = scan.ws.rel(file);
    const twice = read(scan, file, shown, () => indexDuplicateIds(scan.ws));
    if (twice && twice.length > 0) {
      scan.findings.push(
        finding(
          "CATALOG_DUPLICATE_ID",
          "warning",
          shown,
          `${shown} lists ${twice.join(", ")} on more than one line (a line merge of two branches' catalogs); readers take the lines as one entry`,
          `${cmd("doctor --fix")} writes each once (the newer fields, both lines' relations)`,
          { repair: { kind: "fold-index" } },
        ),
      );
    }
    // Not read again once refused (conflict markers, a link leading outside): said once.
    const catalog = twice === null ? null : read(scan, null, shown, () => readCatalogFile(scan.ws));
    scan.facts.catalog = catalog ? { file: shown, topics: catalog.topics } : null;
  },
};

const sessions: DoctorCheck = {
  name: "sessions",
  about: "the active planning session and every snapshot",
  run(scan) {
    const { ws } = scan;
    const file = stateFiles(ws).activeSession;
    let ok = true;
    const active = read(scan, file, ws.rel(file), () => {
      try {
        return readActivePlanningSession(ws);
      } catch (error) {
        ok = false;
        throw error;
      }
    });
    scan.facts.activeRead = ok && (active !== null || readText(ws, file) === null);
    scan.facts.active = active ? { file: ws.rel(file), session: active } : null;
    for (const f of snapshotFiles(ws)) {
      if (!f.valid) {
        scan.findings.push(
          finding(
            "ID_MALFORMED",
            "warning",
            f.shown,
            `${f.shown} is not named like a session id (seed-<slug>@YYYY-MM-DDTHH-MM-SSZ), so Baton ignores it`,
            "rename it after the session_id it holds, or move it out of the sessions folder",
          ),
        );
        continue;
      }
      const session = read(scan, f.file, f.shown, () => readPlanningSnapshot(ws, f.id));
      if (session) scan.facts.snapshots.push({ id: f.id, file: f.shown, session });
      else scan.facts.unreadableSnapshots.push(f.id);
    }
  },
};

const topics: DoctorCheck = {
  name: "topics",
  about: "each topic folder: its documents, sources.md links, and a plan's workflow files",
  run(scan) {
    const { ws } = scan;
    for (const folder of topicFolders(ws)) {
      scan.facts.topicFolders.push({
        name: folder.name,
        file: folder.shown,
        hasDoc: folder.hasDoc,
      });
      if (!scan.facts.topicFolders.at(-1)?.hasDoc && folder.markdown.length === 0) continue;
      for (const md of folder.markdown) {
        const text = markersOnly(scan, md);
        if (text !== null && md.endsWith("/sources.md")) {
          scan.facts.sources.push({
            topic: folder.name,
            file: ws.rel(md),
            links: sourceLinks(text),
          });
        }
      }
      if (!folder.hasDoc || topicTypeOf(folder.name) !== "plan") continue;
      const plan = folder.name;
      read(scan, workflowPath(ws, plan), ws.rel(workflowPath(ws, plan)), () =>
        readWorkflow(ws, plan),
      );
      read(scan, contextPath(ws, plan), ws.rel(contextPath(ws, plan)), () =>
        readContextPackage(ws, plan),
      );
      read(scan, resolutionPath(ws, plan), ws.rel(resolutionPath(ws, plan)), () =>
        readConflictResolution(ws, plan),
      );
      const tasks = read(scan, null, folder.shown, () => readPlanTasks(ws, plan));
      if (tasks) scan.facts.planTasks.push({ plan, ids: tasks.map((t) => t.id) });
      const backlog = topicFile(ws, plan, "backlog.json");
      const map = read(scan, backlog, ws.rel(backlog), () =>
        readText(ws, backlog) === null ? null : readBacklogMap(ws, backlog, plan),
      );
      if (map) scan.facts.backlogs.push({ plan, file: ws.rel(backlog), tickets: map.tickets });
    }
  },
};

const tickets: DoctorCheck = {
  name: "tickets",
  about: "every ticket file, and that each holds the ticket it is named after",
  run(scan) {
    const { ws } = scan;
    for (const f of ticketFiles(ws)) {
      if (!f.valid) {
        scan.findings.push(
          finding(
            "ID_MALFORMED",
            "warning",
            f.shown,
            `${f.shown} is not named like a ticket id (${ws.config.tickets.prefix}-<random>), so Baton ignores it`,
            "rename it after the id in its frontmatter, or move it out of the tickets folder",
          ),
        );
        continue;
      }
      const ticket = read(scan, f.file, f.shown, () => readTicket(ws, f.id));
      if (!ticket) {
        scan.facts.unreadableTickets.push(f.id);
        continue;
      }
      if (ticket.id !== f.id) {
        scan.findings.push(
          finding(
            "ID_MISMATCH",
            "error",
            f.shown,
            `${f.shown} holds the ticket ${ticket.id}, not ${f.id}`,
            "rename the file after the id in its frontmatter, or restore it from git",
          ),
        );
      }
      scan.facts.tickets.push({
        id: f.id,
        file: f.shown,
        plan: ticket.plan,
        task: ticket.task,
        session_id: ticket.session_id,
      });
    }
  },
};

const specs: DoctorCheck = {
  name: "specs",
  about: "every planning folder's status.yaml, and the active spec pointer",
  run(scan) {
    const { ws } = scan;
    for (const folder of findStatusFolders(ws)) {
      const shownFolder = ws.rel(planningPath(ws, folder));
      scan.facts.specFolders.push(shownFolder);
      if (folder.includes("/")) {
        scan.findings.push(
          finding(
            "SPEC_FOLDER_NESTED",
            "warning",
            `${shownFolder}/status.yaml`,
            `${shownFolder} is a planning folder of the old branch-named layout; spec commands do not find it by name`,
            `move it to a folder named after its spec with ${cmd("spec migrate")}`,
          ),
        );
        continue;
      }
      const file = `${shownFolder}/status.yaml`;
      const status = read(scan, specStatusPath(ws, folder), file, () => readSpecStatus(ws, folder));
      if (!status) continue;
      if (status.name !== folder) {
        scan.findings.push(
          finding(
            "SPEC_NAME_MISMATCH",
            "error",
            file,
            `${shownFolder} holds the spec ${status.name}, not ${folder}`,
            `rename planning folders after their specs with ${cmd("spec migrate")}`,
          ),
        );
      }
      const docs = read(scan, null, file, () => pathKind(ws, specDocumentsPath(ws, status)));
      if (
        docs === null &&
        !scan.findings.some((f) => f.file === file && f.code === "UNSAFE_PATH")
      ) {
        scan.findings.push(
          finding(
            "SPEC_DOCS_MISSING",
            "warning",
            file,
            `the spec ${status.name} names its documents at ${status.spec}, which is not there`,
            `restore them from git, or point the spec at them again with ${cmd("spec setup", { spec: "<path>" })}`,
          ),
        );
      }
    }
    const marker = activeSpecMarker(ws);
    const shown = ws.rel(marker);
    if (read(scan, null, shown, () => readActiveRaw(ws)) === null) return;
    let name: string | null = null;
    try {
      name = readActiveSpec(ws);
    } catch (error) {
      if (!isBatonError(error)) throw error;
      scan.findings.push({
        ...findingOf(error, shown),
        severity: "warning",
        fixable: true,
        repair: { kind: "clear-active-spec" },
      });
    }
    if (name !== null) {
      scan.facts.activeSpec = { file: shown, name, folder: ws.rel(planningPath(ws, name)) };
    }
  },
};

const journal: DoctorCheck = {
  name: "journal",
  about: "journal.json and PLANNING.md",
  run(scan) {
    const { ws } = scan;
    const state = journalStatePath(ws);
    read(scan, state, ws.rel(state), () => readJournalFile(ws, scan.now));
    markersOnly(scan, stateFiles(ws).journal);
  },
};

const git: DoctorCheck = {
  name: "git",
  about: "how git merges Baton's files: .gitattributes and the merge driver in .git/config",
  run(scan) {
    const { ws } = scan;
    const file = repoPath(ws, ".gitattributes");
    const text = read(scan, file, ".gitattributes", () => readText(ws, file) ?? "");
    if (text !== null) {
      const have = new Set(text.split("\n").map((line) => line.trim()));
      const missing = gitAttributeLines(ws).filter((line) => !have.has(line));
      if (missing.length > 0) {
        scan.findings.push(
          finding(
            "GITATTRIBUTES_MISSING",
            "warning",
            ".gitattributes",
            `.gitattributes does not say how git merges ${missing.length === 1 ? "one of Baton's files" : `${missing.length} of Baton's files`} (${missing.join(", ")}), so a merge of two branches can leave conflict markers in them`,
            `${cmd("init")} writes the lines into its managed block, keeping the rest of the file`,
          ),
        );
      }
    }
    if (
      insideGitRepository(ws.root) &&
      localGitConfig(ws.root, `merge.${MERGE_DRIVER}.driver`) === null
    ) {
      scan.findings.push(
        finding(
          "MERGE_DRIVER_MISSING",
          "warning",
          ".git/config",
          `this clone has no merge.${MERGE_DRIVER}.driver, so git merges Baton's catalog, sessions and journal as plain text (a clone does not copy .git/config)`,
          `${cmd("init")} registers it in this clone's .git/config`,
        ),
      );
    }
  },
};

const links: DoctorCheck = {
  name: "links",
  about: "links across files: catalog, sessions, sources.md, tickets and plans, the active spec",
  run(scan) {
    scan.findings.push(...linkFindings(scan.facts));
  },
};

/** Every check, in the order they run; `links` last, over what the others read. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  interrupted,
  logs,
  catalog,
  sessions,
  topics,
  tickets,
  specs,
  journal,
  git,
  links,
];

/** Runs every check over the workspace. */
export function runChecks(ws: Workspace, now: string): Scan {
  const scan: Scan = {
    ws,
    now,
    findings: [],
    facts: noFacts(),
  };
  for (const check of DOCTOR_CHECKS) {
    try {
      check.run(scan);
    } catch (error) {
      // A folder the check lists that no reader may enter (a link leading outside): the
      // check's other files are not read, and the refusal is the finding.
      if (!isBatonError(error)) throw error;
      scan.findings.push(findingOf(error, "."));
      scan.facts.incomplete.push(check.name);
    }
  }
  return scan;
}
