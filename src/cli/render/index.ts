/** The text each operation's command prints, by operation name (`--json` prints the result). */
import type { Render } from "../derive.ts";
import { importRenderers } from "./import.ts";
import { integrityRenderers } from "./integrity.ts";
import { journalRenderers } from "./journal.ts";
import { planRenderers } from "./plan.ts";
import { planningRenderers } from "./planning.ts";
import { specRenderers } from "./specs.ts";
import { ticketRenderers } from "./tickets.ts";
import { workRenderers } from "./work.ts";
import { workspaceRenderers } from "./workspace.ts";

export const RENDERERS: Readonly<Record<string, Render>> = {
  ...workspaceRenderers,
  ...integrityRenderers,
  ...planningRenderers,
  ...planRenderers,
  ...ticketRenderers,
  ...journalRenderers,
  ...specRenderers,
  ...workRenderers,
  ...importRenderers,
};
