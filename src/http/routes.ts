/**
 * The HTTP API's routes, derived from the operation declarations as the MCP tools are: every
 * operation offered as a tool is one route, named by its tool name (`ticket_set_status` →
 * `/api/v1/ticket/set-status`: the first `_` a `/`, the others `-`), read with GET (inputs in
 * the query) or written with POST (inputs as a JSON object), checked by the same field checks,
 * and paged as over MCP. Nothing is listed by hand here: a new operation is a new route.
 */
import { type AnyOperation, cliPath, toolName } from "../app/operation.ts";
import { TOOL_PAGE_FIELDS } from "../app/paging.ts";
import { BatonError } from "../core/errors.ts";
import { type Field, type Fields, type JsonSchema, jsonSchemaOf } from "../core/fields.ts";

export const API_PREFIX = "/api/v1";
export const LIVE_PATH = `${API_PREFIX}/live`;

export interface Route {
  method: "GET" | "POST";
  /** `/api/v1/ticket/set-status`. */
  path: string;
  /** The MCP tool of the same operation (`ticket_set_status`). */
  tool: string;
  /** The CLI command of the same operation (`baton ticket set-status`). */
  command: string;
  op: AnyOperation;
  /** The inputs it takes: the operation's fields, with `limit`/`offset` when it pages lists. */
  fields: Fields;
  /** Lists of the result paged alike by `limit`/`offset`, each counted in `page.total`. */
  pages: readonly string[];
  summary: string;
}

/** `ticket_set_status` → `ticket/set-status`; `status` → `status`. */
export function routeWords(tool: string): string {
  const [noun, ...verb] = tool.split("_");
  return verb.length === 0 ? (noun as string) : `${noun}/${verb.join("-")}`;
}

export function deriveRoutes(ops: readonly AnyOperation[]): Route[] {
  const out: Route[] = [];
  const seen = new Map<string, string>();
  for (const op of ops) {
    const tool = toolName(op);
    if (tool === null) continue;
    const surface = op.tool === false ? undefined : op.tool;
    const path = `${API_PREFIX}/${routeWords(tool)}`;
    const other = seen.get(path);
    if (other) throw new Error(`${op.name} and ${other} would both be ${path}`);
    seen.set(path, op.name);
    // A list the operation pages at its source (`limit` is its own field) is not paged again.
    const pages =
      "limit" in op.input
        ? []
        : (surface?.pageLists ?? surface?.cut ?? []).filter((list) => !list.includes("."));
    const mode = op.cli === false ? undefined : op.cli?.mode;
    out.push({
      method: op.access === "read" ? "GET" : "POST",
      path,
      tool,
      command: `baton ${cliPath(op).join(" ")}${mode ? ` --${mode}` : ""}`,
      op,
      fields: pages.length > 0 ? { ...op.input, ...TOOL_PAGE_FIELDS } : op.input,
      pages,
      summary: surface?.description ?? op.summary,
    });
  }
  return out;
}

/** What `GET /api/v1` lists of a route. */
export interface ListedRoute {
  method: "GET" | "POST";
  path: string;
  summary: string;
  /** The same operation's MCP tool and CLI command. */
  tool: string;
  command: string;
  input: JsonSchema;
  pages?: readonly string[];
}

export function listedRoute(route: Route): ListedRoute {
  const { additionalProperties: _, ...input } = jsonSchemaOf(route.fields);
  return {
    method: route.method,
    path: route.path,
    summary: route.summary,
    tool: route.tool,
    command: route.command,
    input,
    ...(route.pages.length > 0 ? { pages: route.pages } : {}),
  };
}

/**
 * A GET route's inputs from its query string, typed by its fields so the field checks see the
 * values a JSON body would carry: `limit=5` is the number 5, `fresh=true` (or a bare `fresh`)
 * true, a repeated `agent=a&agent=b` a list. Text that is not of its field's type is passed on
 * as text, for the checks to refuse by name; unknown names too.
 */
export function queryInput(fields: Fields, params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const field: Field | undefined = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field?.type === "strings") {
      out[key] = values;
      continue;
    }
    if (values.length > 1) {
      throw new BatonError(
        "INVALID_INPUT",
        `${key} is given ${values.length} times`,
        `give ${key} once in the query`,
      );
    }
    out[key] = typed(key, field, values[0] as string);
  }
  return out;
}

function typed(key: string, field: Field | undefined, text: string): unknown {
  switch (field?.type) {
    case "int":
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case "boolean":
      return text === "" || text === "true" ? true : text === "false" ? false : text;
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        throw new BatonError(
          "INVALID_INPUT",
          `${key} is not valid JSON`,
          `pass ${key} as URL-encoded JSON`,
        );
      }
    default:
      return text;
  }
}
