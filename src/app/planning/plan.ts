import { removeGeneratedBlock } from "../../core/markdown.ts";
import { finishPhase, type PhaseState, startPhase } from "../../core/plan/phases.ts";
import { type PlanStructure, renderIntent, structureInput } from "../../core/plan/structure.ts";
import { attachPlan } from "../../core/planning-session.ts";
import { readWorkflow, workflowPath, writeWorkflow } from "../../store/plan-workflow.ts";
import { readText, topicDocPath } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { derivedNotes } from "../plan/derived-notes.ts";
import { notesPath, writeNotes } from "../plan/notes.ts";
import { type AttachResult, attachTopic } from "./attach.ts";
import { BODY } from "./fields.ts";
import type { EnsuredTopic, TopicInput } from "./topics.ts";

export interface PlanResult extends AttachResult {
  /** Phase 1: the input as GOAL / SCOPE / CONTEXT (also in planning-notes.md). */
  structure: PlanStructure;
  /** True when this run completed phase 1; false when it was already done. */
  structured: boolean;
  notes: string;
  workflow: string;
}

/**
 * `baton plan "<title>"`: the plan topic; with an active session it becomes the session's one
 * current plan, and the seed and plan link each other in sources.md. Phase 1 of the plan
 * workflow runs with it: the input is structured into GOAL / SCOPE / CONTEXT, written to the
 * User Intent section of planning-notes.md, and phase "structure" is completed in workflow.json.
 */
export async function createPlan(ctx: AppContext, input: TopicInput): Promise<PlanResult> {
  let phase1: Omit<PlanResult, keyof AttachResult> | undefined;
  const result = await attachTopic(ctx, "plan", input, attachPlan, (topic, now) => {
    phase1 = structurePlan(ctx.ws, topic, input, now);
  });
  return { ...result, ...(phase1 as Omit<PlanResult, keyof AttachResult>) };
}

/** Phase 1, once per plan: later runs leave the notes and the workflow as they are. */
function structurePlan(
  ws: Workspace,
  topic: EnsuredTopic,
  input: TopicInput,
  now: string,
): Omit<PlanResult, keyof AttachResult> {
  const workflow = readWorkflow(ws, topic.id);
  const out = {
    notes: ws.rel(notesPath(ws, topic.id)),
    workflow: ws.rel(workflowPath(ws, topic.id)),
  };
  const done = workflow.phases.structure.state === "completed";
  if (done && workflow.intent) return { ...out, structure: workflow.intent, structured: false };
  const text = topic.created
    ? input.body
    : // The generated inputs block names topics, not the plan's scope.
      removeGeneratedBlock(
        readText(ws, topicDocPath(ws, topic.id)) ?? "",
        "Inputs / Related Topics",
      ).replace(/^# .*\n/, "");
  const structure = structureInput(input.title, text);
  if (done) return { ...out, structure, structured: false };
  const found = (yes: boolean): PhaseState => (yes ? "completed" : "skipped");
  const steps = {
    goal: "completed" as PhaseState,
    scope: found(structure.scope.in.length + structure.scope.out.length > 0),
    context: found(structure.context !== ""),
    notes: "completed" as PhaseState,
  };
  const next = {
    ...finishPhase(startPhase(workflow, "structure", now), "structure", "completed", now, steps),
    intent: structure,
  };
  writeWorkflow(ws, next);
  writeNotes(
    ws,
    topic.id,
    { intent: renderIntent(structure), ...derivedNotes(ws, topic.id, { workflow: next }) },
    input.title.trim(),
  );
  return { ...out, structure, structured: true };
}

/** `baton plan "<title>"`, phase 1 of the plan workflow with it (see createPlan). */
export const writePlan = defineOperation({
  name: "plan",
  summary: "write the plan; it becomes the active session's current plan",
  description:
    'The plan\'s "- [ ] task" lines become tickets with baton backlog. With an active session, plan.md gets an "Inputs / Related Topics" section naming the root seed and every spike. Phase 1 of the plan workflow runs too: the title and text (a sentence, a detailed text or a requirements file) are structured into GOAL / SCOPE / CONTEXT (a Goal section, else the first heading or sentence, is the goal; bullet and numbered items, and "In scope:" / "Out of scope:" lines, are scope; the rest is context), written to the User Intent section of the plan\'s planning-notes.md, and phase "structure" is marked completed in workflow.json. A plan titled like a subcommand (status, run, tasks, verify, next) is created with: baton plan -- "status".',
  examples: [
    'baton plan "OAuth rollout" --body "- [ ] Add GitHub provider\n- [ ] Store tokens"',
    'baton plan "OAuth rollout" --file plan-draft.md',
  ],
  access: "write",
  input: {
    title: {
      type: "string",
      min: 1,
      required: true,
      description: "what the plan delivers",
      cli: { positional: true },
    },
    body: BODY,
  },
  tool: {
    name: "plan_create",
    description: "Record a plan; linked to the active planning session if there is one.",
  },
  run(env, input): Promise<PlanResult> {
    return createPlan(env.context(), { title: input.title, body: input.body });
  },
});
