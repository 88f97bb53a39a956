/** The text each operation's command prints, by operation name (`--json` prints the result). */
import type { Render } from "../derive.ts";
import { specRenderers } from "./specs.ts";
import { ticketRenderers } from "./tickets.ts";

export const RENDERERS: Readonly<Record<string, Render>> = {
  ...ticketRenderers,
  ...specRenderers,
};
