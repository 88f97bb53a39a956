/**
 * The inputs of an operation, declared once as plain data: each field's type, bounds, words and
 * where each face takes it from (a CLI positional or flag, a tool argument). The CLI builds its
 * flags, parsing and help from these declarations, the MCP server its JSON schemas and checks,
 * and every face validates through {@link checkInput}, so a value is accepted or refused alike
 * wherever it comes from. No schema library: the CLI's hot path pays for none.
 */
import { BatonError } from "./errors.ts";

/** How the CLI takes a field. Absent: a flag named after the field (`plan_id` → `--plan-id`). */
export interface CliPlacement {
  /** Taken from the words after the command, in declaration order. */
  positional?: boolean;
  /**
   * The last positional takes every word left, joined by one space and trimmed, so
   * `journal note Tokens expire` needs no quotes; blank text counts as not given.
   */
  rest?: boolean;
  /** The flag's name when not the field's own, e.g. `from-plan`. */
  flag?: string;
  short?: string;
  /** Placeholder in help, e.g. `<file>`; a positional's name in usage lines, e.g. `<name|path>`. */
  value?: string;
  /**
   * A second flag whose value names a file (or `-` for standard input) holding the field's text,
   * e.g. `--body T` or `--file F`. With `only`, the field is given by that file flag alone
   * (`plan tasks --from F`: over MCP the text itself).
   */
  file?: {
    flag: string;
    description: string;
    only?: boolean;
    /** Placeholder in help; default `<file>`. */
    value?: string;
  };
  /** A boolean flag that lifts an int field's CLI default, e.g. `--all` for `limit`. */
  all?: { flag: string; description: string };
}

interface FieldBase {
  description: string;
  /**
   * The words a tool's schema gives instead, where an agent needs others than the CLI's help:
   * it reads an argument without the command around it (`topic id, e.g. seed-oauth-login`
   * where `--help` says `e.g. seed-oauth-login` under the command's name).
   */
  apiDescription?: string;
  required?: boolean;
  /** false: not on the CLI (an MCP-only argument). */
  cli?: CliPlacement | false;
  /** false: not offered to tools (a CLI-only flag). */
  api?: boolean;
  /**
   * Fields that cannot be given with this one (`resolutions` and `recommended`): refused with
   * USAGE on every face, on the CLI before any file a flag names is read.
   */
  excludes?: readonly string[];
}

export type Field =
  | (FieldBase & { type: "string"; min?: number; example?: string })
  | (FieldBase & {
      type: "int";
      min?: number;
      max?: number;
      /** The value when absent, per face: a person's page is longer than an agent's. */
      default?: { cli?: number; api?: number };
      /** A tighter bound over tools only (a page an agent's context can take). */
      apiMax?: number;
      /** A typical value, for the hint when text typed is no number. */
      example?: number;
    })
  | (FieldBase & { type: "boolean" })
  | (FieldBase & {
      type: "enum";
      values: readonly string[];
      /**
       * Other spellings accepted for a value (`pending` for `todo`), read as that value: what
       * older files and habits use keeps working, while help and schemas list `values` only.
       */
      aliases?: Readonly<Record<string, string>>;
    })
  | (FieldBase & { type: "strings" })
  | (FieldBase & { type: "json"; schema: JsonSchema });

export type Fields = Readonly<Record<string, Field>>;

/** The JSON Schema subset tools/list advertises. */
export interface JsonSchema {
  type?: string;
  description?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
}

type ValueOf<F> = F extends { type: "string" }
  ? string
  : F extends { type: "int" }
    ? number
    : F extends { type: "boolean" }
      ? boolean
      : F extends { type: "enum"; values: readonly (infer V)[] }
        ? V
        : F extends { type: "strings" }
          ? string[]
          : unknown;

type RequiredKeys<S> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];

/** The input an operation's run receives: required fields present, the others optional. */
export type InputOf<S extends Fields> = { [K in RequiredKeys<S>]: ValueOf<S[K]> } & {
  [K in Exclude<keyof S, RequiredKeys<S>>]?: ValueOf<S[K]> | undefined;
};

export type Face = "cli" | "api";

/** A field's CLI flag name: its own, or the field's name in kebab case. */
export function flagName(key: string, field: Field): string {
  const cli = field.cli === false ? undefined : field.cli;
  return cli?.flag ?? key.replaceAll("_", "-");
}

export function isPositional(field: Field): boolean {
  return field.cli !== false && field.cli?.positional === true;
}

/**
 * Checks `raw` (already typed: JSON from a tool, values the CLI parsed) against `fields` for
 * `face`: unknown names, wrong types, missing required fields and values out of bounds are
 * INVALID_INPUT naming the field. Defaults for the face are filled in. Returns a new object.
 */
export function checkInput(
  fields: Fields,
  raw: Record<string, unknown>,
  face: Face,
  /**
   * Who refuses, and the face's words for where to look: `{where, hint}`; `fix`, when the face
   * has a way to say it, turns a bound into what to type instead (`use --budget 50 or more`).
   */
  voice: { where: string; hint: string; fix?: (key: string, bound: string) => string | null },
  /** Fields whose face default is lifted (the CLI's `--all`): left absent. */
  noDefault: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  // A fix for a bound comes first (`use --budget 50 or more`), else the field's own hint and
  // the face's words for where to look.
  const refuse = (key: string, problem: string, extra: Refusal = {}) =>
    new BatonError(
      "INVALID_INPUT",
      `${voice.where}: ${key} ${problem}`,
      (extra.bound !== undefined && voice.fix?.(key, extra.bound)) ||
        (extra.own ? `${extra.own} (${voice.hint})` : voice.hint),
    );
  const out: Record<string, unknown> = {};
  const offered = (field: Field) => (face === "cli" ? field.cli !== false : field.api !== false);
  for (const key of Object.keys(raw)) {
    const field = fields[key];
    if (field === undefined || !offered(field)) {
      const known = Object.keys(fields).filter((k) => offered(fields[k] as Field));
      throw refuse(key, `is not an argument (known: ${known.join(", ") || "none"})`);
    }
  }
  const clash = excluded(fields, (key) => isGiven(raw[key]));
  if (clash) {
    throw new BatonError(
      "USAGE",
      `${voice.where}: ${clash[0]} and ${clash[1]} cannot be combined`,
      voice.hint,
    );
  }
  for (const [key, field] of Object.entries(fields)) {
    if (!offered(field)) continue;
    let value = raw[key];
    if (value === undefined || value === null) {
      const fallback =
        field.type === "int" && !noDefault.has(key) ? field.default?.[face] : undefined;
      if (fallback !== undefined) out[key] = fallback;
      else if (field.required) throw refuse(key, "is required");
      continue;
    }
    value = checkValue(key, field, value, face, refuse);
    out[key] = value;
  }
  return out;
}

/** A value that counts as given: present, and not a flag left off. */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

/** The first two fields given together although one excludes the other, or null. */
export function excluded(fields: Fields, given: (key: string) => boolean): [string, string] | null {
  for (const [key, field] of Object.entries(fields)) {
    if (!field.excludes || !given(key)) continue;
    const other = field.excludes.find(given);
    if (other !== undefined) return [key, other];
  }
  return null;
}

/** What a refusal adds to the face's hint: the field's own advice, or the bound it missed. */
interface Refusal {
  own?: string;
  bound?: string;
}

function checkValue(
  key: string,
  field: Field,
  value: unknown,
  face: Face,
  refuse: (key: string, problem: string, extra?: Refusal) => BatonError,
): unknown {
  switch (field.type) {
    case "string":
      if (typeof value !== "string") throw refuse(key, "must be text");
      if (field.min !== undefined && value.length < field.min)
        throw refuse(
          key,
          field.min === 1 ? "must not be empty" : `needs ${field.min} characters or more`,
        );
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw refuse(key, "must be true or false");
      return value;
    case "enum": {
      const canonical =
        typeof value === "string" && Object.hasOwn(field.aliases ?? {}, value)
          ? field.aliases?.[value]
          : value;
      if (typeof canonical !== "string" || !field.values.includes(canonical))
        throw refuse(
          key,
          `must be one of ${field.values.join(", ")}, got ${JSON.stringify(value)}`,
          { own: `use one of: ${field.values.join(", ")}` },
        );
      return canonical;
    }
    case "strings":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
        throw refuse(key, "must be a list of text");
      return value;
    case "int": {
      if (typeof value !== "number" || !Number.isSafeInteger(value))
        throw refuse(key, `must be a whole number, got ${JSON.stringify(value)}`);
      const max = face === "api" && field.apiMax !== undefined ? field.apiMax : field.max;
      if (field.min !== undefined && value < field.min)
        throw refuse(key, `must be ${field.min} or more, got ${value}`, {
          bound: `${field.min} or more`,
        });
      if (max !== undefined && value > max)
        throw refuse(key, `must be ${max} or less, got ${value}`, { bound: `${max} or less` });
      return value;
    }
    case "json": {
      const found = schemaProblem(field.schema, value);
      if (found) throw refuse(`${key}${found.at}`, found.problem);
      return value;
    }
  }
}

/** Where a value departs from its schema (`[0].strategy`, "is required"), or null when it fits. */
function schemaProblem(schema: JsonSchema, value: unknown): { at: string; problem: string } | null {
  const here = (problem: string) => ({ at: "", problem });
  const within = (at: string, found: { at: string; problem: string } | null) =>
    found ? { at: `${at}${found.at}`, problem: found.problem } : null;
  switch (schema.type) {
    case "array": {
      if (!Array.isArray(value)) return here("must be a list");
      if (!schema.items) return null;
      for (const [i, item] of value.entries()) {
        const found = within(`[${i}]`, schemaProblem(schema.items, item));
        if (found) return found;
      }
      return null;
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        return here("must be an object");
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? [])
        if (record[key] === undefined) return { at: `.${key}`, problem: "is required" };
      for (const [key, v] of Object.entries(record)) {
        const prop = schema.properties?.[key];
        if (!prop) {
          if (schema.additionalProperties === false) {
            const known = Object.keys(schema.properties ?? {}).join(", ") || "none";
            return { at: `.${key}`, problem: `is not a known member (known: ${known})` };
          }
          continue;
        }
        const found = within(`.${key}`, schemaProblem(prop, v));
        if (found) return found;
      }
      return null;
    }
    case "string":
      return typeof value === "string" ? null : here("must be text");
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value)
        ? null
        : here("must be a whole number");
    case "boolean":
      return typeof value === "boolean" ? null : here("must be true or false");
    default:
      return null;
  }
}

/** What a tool's schema says of a field. */
export function apiDescriptionOf(field: Field): string {
  return field.apiDescription ?? field.description;
}

/** The JSON Schema of the fields a tool takes: what tools/list advertises. */
export function jsonSchemaOf(fields: Fields): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    if (field.api === false) continue;
    properties[key] = propertyOf(field);
    if (field.required) required.push(key);
  }
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function propertyOf(field: Field): JsonSchema {
  const description = apiDescriptionOf(field);
  switch (field.type) {
    case "string":
      return { type: "string", description, ...(field.min ? { minLength: field.min } : {}) };
    case "boolean":
      return { type: "boolean", description };
    case "enum":
      return { type: "string", enum: field.values, description };
    case "strings":
      return { type: "array", items: { type: "string" }, description };
    case "int": {
      const max = field.apiMax ?? field.max;
      return {
        type: "integer",
        description,
        ...(field.min !== undefined ? { minimum: field.min } : {}),
        ...(max !== undefined ? { maximum: max } : {}),
      };
    }
    case "json":
      return { ...field.schema, description };
  }
}
