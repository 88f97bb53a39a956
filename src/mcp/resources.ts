import type { AppContext } from "../app/context.ts";
import { showJournal } from "../app/journal/show.ts";
import { activePlanningSession } from "../app/planning/planning-session.ts";
import { listSpecs } from "../app/specs/list.ts";
import { specStatus } from "../app/specs/status.ts";
import { asBatonError, BatonError } from "../core/errors.ts";
import { fitJson, fitText } from "./cap.ts";
import { RpcError } from "./errors.ts";
import { inToolWords } from "./words.ts";

const SPEC_PREFIX = "baton://specs/";

interface ReadResourceResult {
  contents: { uri: string; mimeType: string; text: string }[];
}

type Reader = (uri: string) => Promise<ReadResourceResult>;

/** A resource's text as its one content; any failure as an RpcError carrying the Baton error. */
function reader(mimeType: string, text: (uri: string) => string | Promise<string>): Reader {
  return async (uri) => {
    try {
      return { contents: [{ uri, mimeType, text: await text(uri) }] };
    } catch (error) {
      throw new RpcError(asBatonError(error));
    }
  };
}

function specName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(raw)} is not a valid spec name`,
      "spec resources look like baton://specs/user-auth (see: baton://specs)",
    );
  }
}

/**
 * The journal, the active session and the specs, read afresh on every request. resources/read
 * matches the URI as given (not resolved, so `baton://specs/..` is no `baton://specs/`), and
 * every failed read is an RpcError whose `data` is Baton's `{code, message, hint}`.
 */
export function resourceHandlers(
  open: (name: string) => AppContext,
): Record<string, (params: Record<string, unknown>) => unknown> {
  const journal = reader("text/markdown", () => {
    // The file as written, or (before the first change) what it would say.
    const view = showJournal(open("resource journal"));
    return fitText(
      view.text,
      `the journal_show tool pages the notes, decisions and next steps; the whole journal is ${view.file}`,
    );
  });
  const session = reader("application/json", () =>
    fitJson(inToolWords(activePlanningSession(open("resource session"))), {
      hint: "session_list summarizes it",
    }),
  );
  const specs = reader("application/json", async () =>
    fitJson(inToolWords(await listSpecs(open("resource specs"))), {
      hint: "page them with spec_list",
    }),
  );
  const spec = reader("application/json", async (uri) => {
    const name = specName(uri.slice(SPEC_PREFIX.length));
    return fitJson(inToolWords(await specStatus(open("resource spec"), name)), {
      hint: `spec_status {spec: ${JSON.stringify(name)}, offset} pages the tasks`,
    });
  });
  const fixed = [
    {
      uri: "baton://journal",
      name: "journal",
      title: "PLANNING.md",
      description: "The working journal: active work, notes, decisions, next steps",
      mimeType: "text/markdown",
      read: journal,
    },
    {
      uri: "baton://session/active",
      name: "active-session",
      title: "Active planning session",
      description: "The active planning session as JSON (null when none)",
      mimeType: "application/json",
      read: session,
    },
    {
      uri: "baton://specs",
      name: "specs",
      title: "Specs",
      description: "Every spec with its stage and the active marker",
      mimeType: "application/json",
      read: specs,
    },
  ];
  const byUri = new Map(fixed.map((r) => [r.uri, r.read]));
  return {
    "resources/list": async () => {
      // Outside a workspace (or with unreadable specs) there are no specs to list, but the
      // fixed resources still are: reading them says what is wrong, with its code.
      let each: { uri: string; name: string; mimeType: string }[] = [];
      try {
        const list = await listSpecs(open("resource specs"));
        each = list.specs.map((s) => ({
          uri: `${SPEC_PREFIX}${encodeURIComponent(s.name)}`,
          name: s.name,
          mimeType: "application/json",
        }));
      } catch {
        each = [];
      }
      return { resources: [...fixed.map(({ read: _r, ...meta }) => meta), ...each] };
    },
    "resources/templates/list": () => ({
      resourceTemplates: [
        {
          uriTemplate: `${SPEC_PREFIX}{name}`,
          name: "spec",
          title: "Spec status",
          description: "One spec's stage, approvals, tasks and git facts",
          mimeType: "application/json",
        },
      ],
    }),
    "resources/read": (params) => {
      const uri = typeof params.uri === "string" ? params.uri : "";
      const read = byUri.get(uri) ?? (uri.startsWith(SPEC_PREFIX) ? spec : null);
      if (read) return read(uri);
      throw new RpcError(
        new BatonError(
          "USAGE",
          `unknown resource ${JSON.stringify(uri.slice(0, 200))}`,
          `list them with resources/list: baton://journal, baton://session/active, baton://specs, ${SPEC_PREFIX}<name>`,
        ),
      );
    },
  };
}
