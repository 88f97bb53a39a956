/** The planning noun's backlog helpers other nouns use (src/app/planning/backlog-*.ts). */
export { backlogTicketFor, backlogTicketIds, writeBacklogView } from "./planning/backlog-files.ts";
export { type PlanTask, planTaskCount, planTasks } from "./planning/backlog-tasks.ts";
