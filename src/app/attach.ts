/** The plan topic's creation, which `plan run` starts from (src/app/planning/plan.ts). */
export { createPlan, type PlanResult } from "./planning/plan.ts";
