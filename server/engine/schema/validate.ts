// A manifest value against a compact schema: unknown fields, wrong types, missing required fields,
// malformed quantities and base64. Messages never quote a value that could be secret.
import { distance as levenshtein } from 'fastest-levenshtein';
import type { Path } from '../types';
import type { SchemaNode, SchemaShape } from './model';
import { shortName } from './model';

export interface SchemaIssue {
  /** Path inside the object's value. */
  path: Path;
  message: string;
  /** The key itself is the problem (an unknown field), not its value. */
  onKey?: boolean;
}

export interface SchemaLookup {
  definition(name: string): SchemaShape | undefined;
}

export interface ValidateOptions {
  /** Whether the value at a path (inside the object) is an unquoted scalar; without it YAML 1.1 readings are not checked. */
  isPlain?(path: Path): boolean;
}

/** Plain scalars YAML 1.2 reads as strings but YAML 1.1 (the API server's reader) as booleans. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF)$/;
const YAML11_TRUE = /^(?:y|yes|on)$/i;

/**
 * What the API server's YAML 1.1 reader (go-yaml v2, through sigs.k8s.io/yaml) makes of a plain scalar
 * YAML 1.2 reads as a string, if not a string. Numbers (`0x1F`, `017`) are numbers to both readers and
 * fail the type check already; go-yaml leaves YAML 1.1's base-60 numbers (`12:30`) strings.
 */
function yaml11Reading(value: string): string | undefined {
  return YAML11_BOOLEAN.test(value) ? `the boolean ${YAML11_TRUE.test(value)}` : undefined;
}

/** More than this many issues in one object usually means the wrong kind or version: stop there. */
const MAX_ISSUES = 20;
const MAX_DEPTH = 64;

// resource.Quantity's syntax: a decimal number with an optional binary, decimal or exponent suffix.
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Fields written at the wrong level: the pod's and the container's securityContext share a name but not
 * their fields (readOnlyRootFilesystem is per container, fsGroup per pod), a classic slip.
 */
const WRONG_LEVEL: Record<string, { definition: string; where: string }> = {
  'io.k8s.api.core.v1.PodSecurityContext': { definition: 'io.k8s.api.core.v1.SecurityContext', where: "each container's securityContext" },
  'io.k8s.api.core.v1.SecurityContext': { definition: 'io.k8s.api.core.v1.PodSecurityContext', where: "the pod's securityContext" },
};

/** The nearest enclosing definition (for messages), found at path[depth]. */
interface Owner {
  name: string;
  depth: number;
  /** The definition's full name, when the owner is one. */
  definition?: string;
}

export function validateValue(
  value: unknown,
  root: SchemaNode,
  lookup: SchemaLookup,
  rootName: string,
  options: ValidateOptions = {},
): SchemaIssue[] {
  const validator = new Validator(lookup, options);
  validator.visit(value, root, { name: shortName(rootName), depth: 0 });
  return validator.issues;
}

/**
 * One walk over one object. The path is a single array pushed and popped on the way (copied only into an
 * issue): the walk visits every value of every manifest, and most have nothing to report.
 */
class Validator {
  readonly issues: SchemaIssue[] = [];
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly lookup: SchemaLookup,
    private readonly options: ValidateOptions,
  ) {}

  visit(current: unknown, node: SchemaNode, owner: Owner): void {
    if (this.issues.length >= MAX_ISSUES || this.path.length > MAX_DEPTH) return;
    const shape = typeof node === 'string' ? this.lookup.definition(node) : node;
    // null is "unset" to the API server; an unknown definition is nothing we can judge.
    if (current === null || current === undefined || !shape) return;
    const problem = typeProblem(current, shape);
    if (problem) {
      // A number or boolean where a string belongs is the unquoted value's fault: mark the key, as for YAML 1.1 readings.
      const onKey = shape.type === 'string' && typeof current !== 'object';
      this.issues.push({ path: [...this.path], message: `${placeIn(this.path, owner, 'in')} ${problem}.`, ...(onKey ? { onKey } : {}) });
      return;
    }
    if (shape.type === 'string' && typeof current === 'string') {
      const reading = yaml11Reading(current);
      if (reading && this.options.isPlain?.(this.path)) {
        this.issues.push({
          path: [...this.path],
          onKey: true,
          message: `${placeIn(this.path, owner, 'in')} must be a string, but the API server reads YAML 1.1, where the unquoted ${current} is ${reading}: the apply is rejected. Quote it ("${current}").`,
        });
      }
    }
    if (shape.type === 'array') {
      const items = shape.items;
      if (!items) return;
      const list = current as unknown[];
      for (let i = 0; i < list.length; i++) {
        this.path.push(i);
        this.visit(list[i], items, owner);
        this.path.pop();
      }
    } else if (shape.type === 'object') {
      const inner = typeof node === 'string' ? { name: shortName(node), depth: this.path.length, definition: node } : owner;
      this.visitObject(current as Record<string, unknown>, shape, inner);
    }
  }

  private visitObject(current: Record<string, unknown>, shape: SchemaShape, owner: Owner): void {
    const { properties, additionalProperties } = shape;
    for (const key in current) {
      const known = properties && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
      const child = known ?? additionalProperties;
      if (child !== undefined) {
        this.path.push(key);
        this.visit(current[key], child, owner);
        this.path.pop();
      } else if (properties && !shape.open && this.issues.length < MAX_ISSUES) {
        this.issues.push({ path: [...this.path, key], onKey: true, message: this.unknownField(key, properties, owner) });
      }
    }
    for (const field of shape.required ?? []) {
      if (current[field] === undefined && this.issues.length < MAX_ISSUES)
        this.issues.push({ path: [...this.path], message: `${placeIn(this.path, owner, 'of')} is missing the required field "${field}".` });
    }
  }

  private unknownField(key: string, properties: Record<string, SchemaNode>, owner: Owner): string {
    const elsewhere = owner.definition === undefined ? undefined : WRONG_LEVEL[owner.definition];
    const belongsThere = elsewhere && this.lookup.definition(elsewhere.definition)?.properties?.[key] !== undefined;
    const suggestion = belongsThere ? undefined : closest(key, Object.keys(properties));
    const hint = belongsThere ? ` (it belongs in ${elsewhere.where})` : suggestion ? ` (did you mean "${suggestion}"?)` : '';
    return `Unknown field "${key}" in ${placeIn(this.path, owner, 'of')}${hint}; the API server rejects it.`;
  }
}

/** Why the value does not fit the shape's type, or undefined when it does. */
function typeProblem(value: unknown, shape: SchemaShape): string | undefined {
  switch (shape.type) {
    case 'any':
      return undefined;
    case 'string':
      if (typeof value === 'string') return undefined;
      return `must be a string, not ${kindOf(value)}${typeof value === 'object' ? '' : ' (quote it)'}`;
    case 'byte':
      if (typeof value !== 'string') return `must be a base64 string, not ${kindOf(value)}`;
      return BASE64.test(value.replace(/[\r\n]/g, '')) ? undefined : 'is not valid base64 (put plain text under stringData instead)';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `must be an integer, not ${kindOf(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `must be a number, not ${kindOf(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${kindOf(value)}`;
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
        ? undefined
        : `must be an integer or a string, not ${kindOf(value)}`;
    case 'quantity':
      if (typeof value === 'number') return undefined;
      if (typeof value !== 'string') return `must be a quantity such as 500m or 256Mi, not ${kindOf(value)}`;
      return QUANTITY.test(value) ? undefined : `is not a quantity: "${value}" (use forms such as 500m, 2, 256Mi or 1Gi)`;
    case 'array':
      return Array.isArray(value) ? undefined : `must be a list, not ${kindOf(value)}`;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `must be a mapping, not ${kindOf(value)}`;
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  return `a ${typeof value}`;
}

/**
 * Where in the enclosing definition: `"limits.memory" in ResourceRequirements` (a value), `"spec" of
 * PaymentRoute` (a map that holds or lacks a field), or the definition itself at its root.
 */
function placeIn(path: Path, owner: { name: string; depth: number }, preposition: 'in' | 'of'): string {
  const steps = path.slice(owner.depth);
  return steps.length === 0 ? owner.name : `"${dotted(steps)}" ${preposition} ${owner.name}`;
}

function dotted(steps: Path): string {
  return steps.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** The known field a typo most likely meant: edit distance at most 2 (1 for names of three letters or fewer). */
function closest(key: string, candidates: string[]): string | undefined {
  const limit = key.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = key.toLowerCase() === candidate.toLowerCase() ? 0 : levenshtein(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
