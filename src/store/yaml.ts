/**
 * The complete YAML parser for what Baton's small reader (core/yaml.ts) does not cover: js-yaml,
 * loaded on first use so that commands reading only Baton's own flat YAML never pay for it.
 */
interface YamlLib {
  load(text: string): unknown;
}

const loaded: { lib?: YamlLib } = {};

export function fullYaml(text: string): unknown {
  // getBuiltinModule keeps node:module (and what it pulls in) off the startup path.
  const { createRequire } = process.getBuiltinModule("node:module");
  loaded.lib ??= createRequire(import.meta.url)("js-yaml") as YamlLib;
  return loaded.lib.load(text);
}
