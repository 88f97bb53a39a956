/**
 * The tool views of every noun, by operation name (see ../tool-view.ts): each noun keeps its own
 * in `./<noun>.ts`.
 */
import type { ToolView } from "../tool-view.ts";
import { journalViews } from "./journal.ts";
import { planningViews } from "./planning.ts";
import { specViews } from "./specs.ts";

export const TOOL_VIEWS: Readonly<Record<string, ToolView>> = {
  ...planningViews,
  ...journalViews,
  ...specViews,
};
