import { openWorkspace, type Workspace } from "../store/workspace.ts";

/** What every use case receives: the workspace, a clock, and a sink for one-line notices. */
export interface AppContext {
  ws: Workspace;
  now(): Date;
  notice(message: string): void;
}

export interface ContextOptions {
  cwd: string;
  notice?: (message: string) => void;
  now?: () => Date;
}

export function openContext(options: ContextOptions): AppContext {
  return {
    ws: openWorkspace(options.cwd),
    now: options.now ?? (() => new Date()),
    notice: options.notice ?? (() => {}),
  };
}

export function isoNow(ctx: AppContext): string {
  return ctx.now().toISOString();
}
