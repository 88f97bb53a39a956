/**
 * Phase 2's scan: the repository's files ranked by the plan's keywords, its manifests and
 * imports, the active session's spikes, and the conflict risk the plan's declared files carry
 * against other open work, as a context package (and the notes' Context Findings section).
 */
import { isTopicId } from "../../core/ids.ts";
import type { ContextAsset, ContextPackage } from "../../core/plan/context-package.ts";
import {
  classifyFile,
  extractKeywords,
  goalText,
  isJsLike,
  isManifest,
  type ManifestFacts,
  packageOf,
  parseImports,
  parseManifest,
  rankAssets,
  resolveInternal,
  scoreFile,
} from "../../core/plan/context-rank.ts";
import { assessRisk } from "../../core/plan/context-risk.ts";
import { isBatonOwnFile } from "../../core/plan/own-files.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { type CatalogHandle, openCatalog } from "../../store/catalog-file.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import {
  listTopicFolders,
  readActivePlanningSession,
  readText,
  topicDocPath,
} from "../../store/repo.ts";
import {
  listRepoFiles,
  MAX_READ_BYTES,
  readCapped,
  uncommittedPaths,
} from "../../store/repo-scan.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { listSpecNames, readSpecStatus } from "../../store/specs.ts";
import { batonPathTest, type Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { mentionedPaths, planWork } from "./work.ts";

/**
 * Other open plans and specs with the files they declare: a plan's open tasks' files (or the
 * files its plan.md names, before it has tasks), a spec's tasks.md path mentions.
 */
function otherWork(
  ws: Workspace,
  catalog: CatalogHandle,
  planId: string,
  known: ReadonlySet<string>,
) {
  const others: { kind: "plan" | "spec"; with: string; files: string[] }[] = [];
  const topics = listTopicFolders(ws).filter((n) => n.startsWith("plan-") && n !== planId);
  for (const other of topics.sort()) {
    if (!isTopicId(other)) continue;
    let work: ReturnType<typeof planWork>;
    try {
      work = planWork(ws, catalog, other, known);
    } catch {
      continue; // a broken task file of another plan is that plan's problem
    }
    if (work.open && work.files.length > 0) {
      others.push({ kind: "plan", with: other, files: work.files });
    }
  }
  for (const name of listSpecNames(ws)) {
    let status: ReturnType<typeof readSpecStatus> = null;
    try {
      status = readSpecStatus(ws, name);
    } catch {
      continue;
    }
    if (!status || status.stage === "done" || status.stage === "rejected") continue;
    const tasksMd = specTasksFile(ws, status);
    const text = tasksMd === null ? null : readText(ws, tasksMd);
    if (text === null) continue;
    const files = mentionedPaths(text, known);
    if (files.length > 0) others.push({ kind: "spec", with: name, files });
  }
  return others;
}

function summarise(text: string, max = 400): string {
  const findings = /^##\s+(Findings|Summary|Conclusions?)\b.*$/im.exec(text);
  const from = findings ? text.slice(findings.index + findings[0].length) : text;
  const lines = from
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("<!--"));
  const joined = lines.join(" ").replace(/\s+/g, " ");
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined;
}

/**
 * Files the scan leaves out: Baton's own state (its folders, the journal) and what `baton init`
 * writes for agents (skills, commands, MCP entries, `.gitattributes`), which are neither the
 * plan's subject nor a conflict risk.
 */
function batonFileTest(ws: Workspace): (rel: string) => boolean {
  const state = batonPathTest(ws);
  return (rel) => state(rel) || isBatonOwnFile(rel);
}

export function buildContextPackage(
  ctx: AppContext,
  plan: { id: string; title: string },
): ContextPackage {
  const { ws } = ctx;
  const planText = readText(ws, topicDocPath(ws, plan.id)) ?? "";
  const keywords = extractKeywords(`${plan.title}\n${plan.title}\n${goalText(planText)}`);
  const exclude = batonFileTest(ws);
  const listing = listRepoFiles(ws, exclude);
  const known = new Set(listing.files);
  const named = new Set(mentionedPaths(planText, known));

  const scored: { path: string; score: ReturnType<typeof scoreFile> }[] = [];
  const sizes = new Map<string, number>();
  const texts = new Map<string, string>();
  const counts: Record<string, number> = { source: 0, test: 0, doc: 0, config: 0, other: 0 };
  let read = 0;
  for (const f of listing.files) {
    const kind = classifyFile(f);
    counts[kind] = (counts[kind] ?? 0) + 1;
    const { size, text } = kind === "other" ? { size: 0, text: null } : readCapped(ws, f);
    if (text !== null) read++;
    sizes.set(f, size);
    if (text !== null && (isJsLike(f) || isManifest(f))) texts.set(f, text);
    scored.push({ path: f, score: scoreFile(f, text, keywords, named.has(f)) });
  }
  const ranked = rankAssets(scored, 400);
  const pick = (kind: string, n: number): ContextAsset[] =>
    ranked
      .filter((a) => a.kind === kind)
      .slice(0, n)
      .map((a) => ({ ...a, size: sizes.get(a.path) ?? 0 }));

  // Manifests and external dependencies.
  const manifests: ManifestFacts[] = [];
  for (const f of listing.files) {
    if (!isManifest(f) || f.split("/").some((p) => p === "node_modules")) continue;
    const facts = parseManifest(f, texts.get(f) ?? "");
    if (facts) manifests.push(facts);
  }
  // Imports of the relevant JS/TS files.
  const relevantJs = ranked.filter((a) => isJsLike(a.path)).slice(0, 100);
  const internal: { from: string; to: string }[] = [];
  const importedBy = new Map<string, Set<string>>();
  for (const a of relevantJs) {
    const text = texts.get(a.path);
    if (!text) continue;
    for (const spec of parseImports(text)) {
      const pkg = packageOf(spec);
      if (pkg === null) {
        const to = resolveInternal(a.path, spec, known);
        if (to) internal.push({ from: a.path, to });
      } else if (!pkg.startsWith("node:")) {
        const set = importedBy.get(pkg) ?? new Set<string>();
        set.add(a.path);
        importedBy.set(pkg, set);
      }
    }
  }
  internal.sort((a, b) => (`${a.from}\0${a.to}` < `${b.from}\0${b.to}` ? -1 : 1));
  const external: ContextPackage["dependencies"]["external"] = [];
  for (const m of manifests) {
    for (const [names, dev] of [
      [m.dependencies, false],
      [m.dev_dependencies, true],
    ] as const) {
      for (const name of names) {
        external.push({
          name,
          ecosystem: m.ecosystem,
          dev,
          manifest: m.file,
          imported_by: [...(importedBy.get(name) ?? [])].sort(),
        });
      }
    }
  }

  // Spikes of the active session.
  const session = readActivePlanningSession(ws);
  const catalog = openCatalog(ws);
  const spikes = (session?.spikes ?? []).map((id) => ({
    id,
    title: catalog.get(id)?.title ?? id,
    summary: summarise(readText(ws, topicDocPath(ws, id)) ?? ""),
  }));

  // Risk: overlaps with other work are measured on the files this plan declares (those its
  // text names and its tasks list); uncommitted changes and public APIs on its likely files too,
  // the most relevant source and config files.
  const ownTasks = readPlanTasks(ws, plan.id) ?? [];
  const declared = new Set<string>([
    ...named,
    ...ownTasks.flatMap((t) => t.files.map((f) => f.replace(/^\.\//, ""))),
  ]);
  const affected = new Set<string>([
    ...ranked
      .filter((a) => a.kind === "source" || a.kind === "config")
      .slice(0, 25)
      .map((a) => a.path),
    ...declared,
  ]);
  const detection = assessRisk({
    affected: [...affected].sort(),
    declared: [...declared].sort(),
    others: otherWork(ws, catalog, plan.id, known),
    uncommitted: uncommittedPaths(ws.root).filter((f) => !exclude(f)),
  });

  const prioritized = ranked.slice(0, 20).map((a) => ({
    path: a.path,
    relevance: a.relevance,
    reason: a.named
      ? "named in the plan"
      : a.matched.length > 0
        ? `path matches ${a.matched.join(", ")}`
        : "content mentions the plan's keywords",
  }));

  return {
    schema_version: SCHEMA_VERSION,
    metadata: {
      plan: plan.id,
      title: plan.title,
      generated_at: isoNow(ctx),
      keywords,
      scan: {
        source: listing.source,
        files_listed: listing.files.length,
        files_read: read,
        max_read_bytes: MAX_READ_BYTES,
      },
    },
    project_context: {
      tech_stack: {
        languages: [...new Set(manifests.map((m) => m.language))].sort(),
        ecosystems: [...new Set(manifests.map((m) => m.ecosystem))].sort(),
        manifests: manifests.map((m) => m.file),
      },
      file_counts: counts,
      spikes,
    },
    assets: {
      source: pick("source", 50),
      tests: pick("test", 30),
      documentation: pick("doc", 30),
      configuration: pick("config", 20),
    },
    dependencies: { internal, external },
    conflict_detection: detection,
    prioritized_context: prioritized,
  };
}

export function renderContextNotes(pkg: ContextPackage): string {
  const c = pkg.conflict_detection;
  const stack = pkg.project_context.tech_stack;
  const lines = [
    `- Generated: ${pkg.metadata.generated_at} (${pkg.metadata.scan.files_listed} files listed, ${pkg.metadata.scan.files_read} read)`,
    `- Keywords: ${pkg.metadata.keywords.slice(0, 12).join(", ") || "(none)"}`,
    `- Tech stack: ${stack.languages.join(", ") || "(no manifest found)"}${stack.manifests.length ? ` (${stack.manifests.join(", ")})` : ""}`,
    `- Most relevant: ${
      pkg.prioritized_context
        .slice(0, 8)
        .map((p) => `\`${p.path}\``)
        .join(", ") || "(nothing matched)"
    }`,
    `- Tests: ${
      pkg.assets.tests
        .slice(0, 5)
        .map((a) => `\`${a.path}\``)
        .join(", ") || "(none matched)"
    }`,
    `- Conflict risk: **${c.risk_level}**${c.risk_factors.length ? ` — ${c.risk_factors.join("; ")}` : ""}`,
    `- Mitigation: ${c.mitigation_strategy}`,
  ];
  for (const s of pkg.project_context.spikes)
    lines.push(`- Spike ${s.id}: ${s.summary || "(empty)"}`);
  return lines.join("\n");
}
