/** The planning noun's topic helpers other nouns use (src/app/planning/topics.ts). */
export { requirePlan } from "./planning/topics.ts";
