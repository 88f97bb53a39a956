/**
 * `{knowledgeDir}/topics/<plan>/context-package.json`, written by phase 2 of the plan workflow
 * and read by the later phases.
 */
import type { RankedAsset } from "./context-rank.ts";
import type { ConflictDetection } from "./context-risk.ts";

export interface ContextAsset extends RankedAsset {
  size: number;
}

/** `{knowledgeDir}/topics/<plan>/context-package.json`. */
export interface ContextPackage {
  schema_version: number;
  metadata: {
    plan: string;
    title: string;
    generated_at: string;
    keywords: string[];
    scan: {
      source: "git" | "walk";
      files_listed: number;
      files_read: number;
      max_read_bytes: number;
    };
  };
  project_context: {
    tech_stack: { languages: string[]; ecosystems: string[]; manifests: string[] };
    file_counts: Record<string, number>;
    spikes: { id: string; title: string; summary: string }[];
  };
  assets: {
    source: ContextAsset[];
    tests: ContextAsset[];
    documentation: ContextAsset[];
    configuration: ContextAsset[];
  };
  dependencies: {
    internal: { from: string; to: string }[];
    external: {
      name: string;
      ecosystem: string;
      dev: boolean;
      manifest: string;
      imported_by: string[];
    }[];
  };
  conflict_detection: ConflictDetection;
  prioritized_context: { path: string; relevance: number; reason: string }[];
}
