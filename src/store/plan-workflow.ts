import path from "node:path";
import { newWorkflow, type PlanWorkflow, parseWorkflow } from "../core/plan/phases.ts";
import { readJsonOrNull, writeJson } from "./files.ts";
import { topicDir } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

export function workflowPath(ws: Workspace, planId: string): string {
  return path.join(topicDir(ws, planId), "workflow.json");
}

/** The plan's workflow state; a plan made before the workflow existed starts all pending. */
export function readWorkflow(ws: Workspace, planId: string): PlanWorkflow {
  const file = workflowPath(ws, planId);
  const data = readJsonOrNull(ws, file, ws.rel(file));
  return data ? parseWorkflow(data, ws.rel(file)) : newWorkflow(planId);
}

export function writeWorkflow(ws: Workspace, workflow: PlanWorkflow): void {
  writeJson(ws, workflowPath(ws, workflow.plan), workflow);
}
