import { BatonError, corruptFile } from "./errors.ts";
import { assertTicketPrefix } from "./ids.ts";
import { SCHEMA_VERSION } from "./schema.ts";

/** Workspace settings from `.baton/config.yaml`. Every path is relative to the workspace root. */
export interface BatonConfig {
  schema_version: number;
  workflow: { knowledgeDir: string };
  planning: { dir: string };
  journal: { file: string; archiveDir: string };
  tickets: { prefix: string; dir: string };
  /** Work sessions: how long a claim's lease lasts without a heartbeat (`15m`, `90s`, `1h`). */
  work: { leaseTtl: string };
}

/** The lease a claim gets when config.yaml sets none. */
export const DEFAULT_LEASE_TTL = "15m";
const DURATION = /^(\d{1,6})\s*(s|m|h)?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `15m`, `90s`, `1h` or a bare number of seconds, in milliseconds; null when it is none of those. */
export function durationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[(match[2] ?? "s") as keyof typeof UNIT_MS];
}

/** The configured lease of a claim, in milliseconds (checked when the config was read). */
export function leaseTtlMs(config: BatonConfig): number {
  return durationMs(config.work.leaseTtl) ?? (durationMs(DEFAULT_LEASE_TTL) as number);
}

export function defaultConfig(): BatonConfig {
  return {
    schema_version: SCHEMA_VERSION,
    workflow: { knowledgeDir: ".baton/knowledge" },
    planning: { dir: ".baton/planning" },
    journal: { file: "PLANNING.md", archiveDir: ".baton/archive" },
    tickets: { prefix: "BTN", dir: ".baton/tickets" },
    work: { leaseTtl: DEFAULT_LEASE_TTL },
  };
}

export function renderConfig(config: BatonConfig): string {
  return [
    "# Baton workspace settings. Paths are relative to the folder holding .baton/.",
    `schema_version: ${config.schema_version}`,
    "workflow:",
    `  knowledgeDir: ${config.workflow.knowledgeDir}`,
    "planning:",
    `  dir: ${config.planning.dir}`,
    "journal:",
    `  file: ${config.journal.file}`,
    `  archiveDir: ${config.journal.archiveDir}`,
    "tickets:",
    `  prefix: ${config.tickets.prefix}`,
    `  dir: ${config.tickets.dir}`,
    // Written only when set: the default lease needs no line.
    ...(config.work.leaseTtl === DEFAULT_LEASE_TTL
      ? []
      : ["work:", `  leaseTtl: ${config.work.leaseTtl}`]),
    "",
  ].join("\n");
}

/**
 * Merges a parsed config over the defaults and validates it. Paths must stay inside the
 * workspace: an absolute path or one climbing out with `..` is refused. A file that did not
 * parse into settings completely (a key Baton does not know, a section holding a scalar, as a
 * file cut off mid-line leaves it) is CORRUPT_FILE: guessing at the rest could send every write
 * to the wrong folder.
 */
export function resolveConfig(raw: Record<string, unknown>, file: string): BatonConfig {
  const config = defaultConfig();
  config.schema_version = raw.schema_version as number;
  const known = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(key in known)) throw damaged(file, `it has a setting Baton does not know: ${key}`);
  }
  const section = (name: string): Record<string, unknown> => {
    const value = raw[name];
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
      throw damaged(file, `${name} holds ${JSON.stringify(value)} where its settings belong`);
    }
    const keys = known[name] as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (!(key in keys)) {
        throw damaged(file, `it has a setting Baton does not know: ${name}.${key}`);
      }
    }
    return value as Record<string, unknown>;
  };
  const pick = (name: string, key: string, fallback: string): string => {
    const value = section(name)[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string" || value.trim() === "") {
      throw invalid(file, `${name}.${key} must be a non-empty string`);
    }
    return value.trim();
  };
  const path = (name: string, key: string, fallback: string): string => {
    const value = pick(name, key, fallback).replace(/\\/g, "/").replace(/\/+$/, "");
    if (value.startsWith("/") || /^[A-Za-z]:/.test(value) || value.split("/").includes("..")) {
      throw invalid(file, `${name}.${key} (${value}) must be a relative path inside the workspace`);
    }
    return value;
  };
  config.workflow.knowledgeDir = path("workflow", "knowledgeDir", config.workflow.knowledgeDir);
  config.planning.dir = path("planning", "dir", config.planning.dir);
  config.journal.file = path("journal", "file", config.journal.file);
  config.journal.archiveDir = path("journal", "archiveDir", config.journal.archiveDir);
  config.tickets.dir = path("tickets", "dir", config.tickets.dir);
  config.tickets.prefix = assertTicketPrefix(pick("tickets", "prefix", config.tickets.prefix));
  const lease = String(section("work").leaseTtl ?? config.work.leaseTtl).trim();
  const ms = durationMs(lease);
  if (ms === null || ms < 1000 || ms > 24 * 3_600_000) {
    throw invalid(
      file,
      `work.leaseTtl (${lease}) must be a duration from 1s to 24h, such as 15m, 90s or 1h`,
    );
  }
  config.work.leaseTtl = lease;
  return config;
}

function damaged(file: string, why: string): BatonError {
  return corruptFile(
    file,
    `did not parse completely: ${why}`,
    "the file may be cut off or mistyped; fix it by hand or restore it from git (git checkout -- .baton/config.yaml)",
  );
}

/** The settings naming a folder or file, with their defaults, for checks that need the disk. */
export function pathSettings(
  config: BatonConfig,
): { key: string; value: string; fallback: string }[] {
  const d = defaultConfig();
  return [
    {
      key: "workflow.knowledgeDir",
      value: config.workflow.knowledgeDir,
      fallback: d.workflow.knowledgeDir,
    },
    { key: "planning.dir", value: config.planning.dir, fallback: d.planning.dir },
    { key: "journal.file", value: config.journal.file, fallback: d.journal.file },
    { key: "journal.archiveDir", value: config.journal.archiveDir, fallback: d.journal.archiveDir },
    { key: "tickets.dir", value: config.tickets.dir, fallback: d.tickets.dir },
  ];
}

function invalid(file: string, message: string): BatonError {
  return new BatonError(
    "CONFIG_INVALID",
    `${file}: ${message}`,
    "fix the value in .baton/config.yaml",
  );
}
