/**
 * The tool views of every noun, by operation name (see ../tool-view.ts): each noun keeps its own
 * in `./<noun>.ts`.
 */
import type { ToolView } from "../tool-view.ts";
import { specViews } from "./specs.ts";

export const TOOL_VIEWS: Readonly<Record<string, ToolView>> = { ...specViews };
