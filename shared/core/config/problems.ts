import * as z from 'zod/mini';
import { ConfigError } from '../errors';

/**
 * Problems found in a county folder or the national catalogue, each naming
 * the file, the JSON path and what was expected. Loading stops at the first
 * error (a ConfigError); `yearly-report county check` lists them all.
 */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  file: string;
  /** JSON path inside the file: units[3].roles[0], collection.lockAtDeadline, (file). */
  path: string;
  message: string;
}

/** Collects problems; `error()` records one that makes the config unusable. */
export class ConfigProblems {
  readonly list: ConfigProblem[] = [];

  error(file: string, path: string, message: string): void {
    this.add({ severity: 'error', file, path, message });
  }

  warning(file: string, path: string, message: string): void {
    this.add({ severity: 'warning', file, path, message });
  }

  /** The base template is checked alone and under each year's override: one mistake is one problem. */
  private add(problem: ConfigProblem): void {
    if (!this.list.some((p) => p.severity === problem.severity && p.file === problem.file && p.path === problem.path && p.message === problem.message)) this.list.push(problem);
  }

  get errors(): ConfigProblem[] {
    return this.list.filter((p) => p.severity === 'error');
  }

  /** Throws the first error as a ConfigError, saying how many more there are. */
  throwIfAny(countyId?: string): void {
    const [first, ...rest] = this.errors;
    if (!first) return;
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more${countyId ? `: run \`yearly-report county check ${countyId}\` to list them` : ''})`;
    throw new ConfigError(first.file, first.path, `${first.message}${more}`);
  }
}

/** units.3.roles.0 → units[3].roles[0] */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}

/**
 * zod's verdict on a config file as problems. An unknown key gets a
 * suggestion from the keys the schema knows ("did you mean lockAtDeadline?"),
 * because a misspelled optional key would otherwise just mean "not set".
 */
export function parseConfig<T>(schema: z.ZodMiniType<T>, value: unknown, file: string, problems: ConfigProblems): T | undefined {
  // Each config schema parses once per process (at a Lambda's cold start): zod's JIT, which compiles an object schema
  // into a function on its first parse, would cost more than it saves.
  const parsed = z.safeParse(schema, value, { jitless: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = suggest(key, schemaKeys(schema));
        problems.error(file, jsonPath([...issue.path, key]), `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''}`);
      }
    } else {
      problems.error(file, jsonPath(issue.path), issue.message);
    }
  }
  return undefined;
}

/**
 * The closest candidate within a small edit distance, if any. The distance is
 * judged on the part the two words do not share: "petition_bureau" and
 * "education_bureau" share "_bureau" but differ in what names the unit, so
 * neither is a typo of the other; "justice_burea" is one of "justice_bureau".
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
    if (d > limit || d > Math.max(1, Math.floor(differingLength(word, c) / 2))) continue;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** The length of the longer of the two words once their common start and end are taken away. */
function differingLength(a: string, b: string): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return Math.max(a.length, b.length) - start - end;
}

/** Optimal string alignment distance: a swap of two neighbouring letters is one typo, not two. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** zod 4 keeps a schema's structure in `_zod.def`; only the fields walked here are read. */
interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  innerType?: unknown;
  options?: unknown[];
  valueType?: unknown;
  in?: unknown;
  out?: unknown;
  /** z.lazy: the schema it builds on first use. */
  getter?: () => unknown;
}

const keyCache = new WeakMap<object, Set<string>>();

/** Every object key anywhere in a schema: the vocabulary suggestions come from. */
export function schemaKeys(schema: unknown): Set<string> {
  if (typeof schema === 'object' && schema !== null && keyCache.has(schema)) return keyCache.get(schema)!;
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: SchemaDef } })._zod?.def;
    if (!def) return;
    if (def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        keys.add(key);
        walk(child);
      }
    }
    for (const child of [def.element, def.innerType, def.valueType, def.in, def.out, ...(def.options ?? [])]) walk(child);
    if (typeof def.getter === 'function') walk(def.getter());
  };
  walk(schema);
  if (typeof schema === 'object' && schema !== null) keyCache.set(schema, keys);
  return keys;
}
