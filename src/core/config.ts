import { BatonError } from "./errors.ts";
import { assertTicketPrefix } from "./ids.ts";
import { SCHEMA_VERSION } from "./schema.ts";

/** Workspace settings from `.baton/config.yaml`. Every path is relative to the workspace root. */
export interface BatonConfig {
  schema_version: number;
  workflow: { knowledgeDir: string };
  planning: { dir: string };
  journal: { file: string; archiveDir: string };
  tickets: { prefix: string; dir: string };
}

export function defaultConfig(): BatonConfig {
  return {
    schema_version: SCHEMA_VERSION,
    workflow: { knowledgeDir: ".baton/knowledge" },
    planning: { dir: ".baton/planning" },
    journal: { file: "PLANNING.md", archiveDir: ".baton/archive" },
    tickets: { prefix: "BTN", dir: ".baton/tickets" },
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
    "",
  ].join("\n");
}

/**
 * Merges a parsed config over the defaults and validates it. Paths must stay inside the
 * workspace: an absolute path or one climbing out with `..` is refused.
 */
export function resolveConfig(raw: Record<string, unknown>, file: string): BatonConfig {
  const config = defaultConfig();
  config.schema_version = raw.schema_version as number;
  const section = (name: string): Record<string, unknown> => {
    const value = raw[name];
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
      throw invalid(file, `${name} must be a mapping`);
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
  return config;
}

function invalid(file: string, message: string): BatonError {
  return new BatonError(
    "CONFIG_INVALID",
    `${file}: ${message}`,
    "fix the value in .baton/config.yaml",
  );
}
