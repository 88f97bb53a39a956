/** The parts of the API's answers the dashboard reads (the CLI's --json, see GET /api/v1). */

export const TASK_STATUSES = ["todo", "in_progress", "blocked", "done", "cancelled"] as const;
export const STAGES = [
  "draft",
  "in_review",
  "changes_requested",
  "approved",
  "implementing",
  "done",
  "rejected",
] as const;

export interface Status {
  session: { session_id: string; root_seed: string; plan: string | null; spikes: string[] } | null;
  spec: { name: string; stage: string } | null;
  next_steps: string[];
}

export interface SessionRow {
  session_id: string;
  state: string;
  root_seed: string;
  spikes: number;
  plan: string | null;
  tickets: number;
}

export interface SpecRow {
  name: string;
  stage: string;
  active: boolean;
  last_known_branch: string | null;
}

export interface Progress {
  total: number;
  done: number;
  in_progress: number;
  todo: number;
  percent: number;
}

export interface TaskNode {
  id: string;
  title: string;
  status: string;
  optional: boolean;
  children: TaskNode[];
}

export interface SpecStatus {
  spec: SpecRow;
  progress: Progress;
  tasks: TaskNode[];
  tasks_file: string;
}

export interface Finding {
  file: string;
  line: number | null;
  severity: string;
  code: string;
  message: string;
}

export interface Ticket {
  id: string;
  title: string;
  status: string;
  plan?: string | null;
}

export interface TicketPage {
  total: number;
  tickets: Ticket[];
}

export interface Journal {
  file: string;
  text: string;
  state: {
    notes: { at: string; text: string }[];
    decisions: { at: string; text: string }[];
    next: { text: string; done_at: string | null }[];
  };
}
