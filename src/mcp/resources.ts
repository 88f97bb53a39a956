import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../app/context.ts";
import { showJournal } from "../app/journal.ts";
import { activeSession } from "../app/sessions.ts";
import { listSpecs, specStatus } from "../app/spec-folders.ts";
import { asBatonError, BatonError, EXIT } from "../core/errors.ts";
import { fitJson, fitText } from "./cap.ts";

/** MCP's code for a resource that does not exist (the JSON-RPC codes have none). */
const RESOURCE_NOT_FOUND = -32002;

/**
 * A failed read as a JSON-RPC error whose `data` is the `{code, message, hint}` every tool and
 * the CLI report; the SDK sends an error's numeric `code`, `message` and `data` as they are.
 */
export class ResourceError extends Error {
  readonly code: number;
  readonly data: { code: string; message: string; hint: string };

  constructor(error: BatonError) {
    super(error.message);
    this.name = "ResourceError";
    const exit = error.exitCode;
    this.code =
      exit === EXIT.notFound
        ? RESOURCE_NOT_FOUND
        : exit === EXIT.usage
          ? ErrorCode.InvalidParams
          : ErrorCode.InternalError;
    this.data = error.toJSON();
  }
}

async function read(
  uri: URL,
  mimeType: string,
  text: () => string | Promise<string>,
): Promise<ReadResourceResult> {
  try {
    return { contents: [{ uri: uri.href, mimeType, text: await text() }] };
  } catch (error) {
    throw new ResourceError(asBatonError(error));
  }
}

function specName(raw: string | string[] | undefined): string {
  try {
    return decodeURIComponent(String(raw ?? ""));
  } catch {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(raw)} is not a valid spec name`,
      "spec resources look like baton://specs/user-auth (see: baton://specs)",
    );
  }
}

/** The journal, the active session and the specs, read afresh on every request. */
export function registerResources(server: McpServer, open: (name: string) => AppContext): void {
  server.registerResource(
    "journal",
    "baton://journal",
    {
      title: "PLANNING.md",
      description: "The working journal: active work, notes, decisions, next steps",
      mimeType: "text/markdown",
    },
    (uri) =>
      read(uri, "text/markdown", () => {
        // The file as written, or (before the first change) what it would say.
        const view = showJournal(open("resource journal"));
        return fitText(
          view.text,
          `the journal_show tool pages the notes, decisions and next steps; the whole journal is ${view.file}`,
        );
      }),
  );
  server.registerResource(
    "active-session",
    "baton://session/active",
    {
      title: "Active planning session",
      description: "The active planning session as JSON (null when none)",
      mimeType: "application/json",
    },
    (uri) =>
      read(uri, "application/json", () =>
        fitJson(activeSession(open("resource session")), { hint: "session_list summarizes it" }),
      ),
  );
  server.registerResource(
    "specs",
    "baton://specs",
    {
      title: "Specs",
      description: "Every spec with its stage and the active marker",
      mimeType: "application/json",
    },
    (uri) =>
      read(uri, "application/json", async () =>
        fitJson(await listSpecs(open("resource specs")), { hint: "page them with spec_list" }),
      ),
  );
  server.registerResource(
    "spec",
    new ResourceTemplate("baton://specs/{name}", {
      list: async () => {
        // Outside a workspace (or with unreadable specs) there is nothing to list, but the
        // fixed resources still are: reading them says what is wrong, with its code.
        try {
          const list = await listSpecs(open("resource specs"));
          return {
            resources: list.specs.map((s) => ({
              uri: `baton://specs/${encodeURIComponent(s.name)}`,
              name: s.name,
              mimeType: "application/json",
            })),
          };
        } catch {
          return { resources: [] };
        }
      },
    }),
    {
      title: "Spec status",
      description: "One spec's stage, approvals, tasks and git facts",
      mimeType: "application/json",
    },
    (uri, vars) =>
      read(uri, "application/json", async () => {
        const name = specName(vars.name);
        return fitJson(await specStatus(open("resource spec"), name), {
          hint: `spec_status {spec: ${JSON.stringify(name)}, offset} pages the tasks`,
        });
      }),
  );
}
