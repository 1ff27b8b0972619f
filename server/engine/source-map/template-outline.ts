// The YAML shape of a Go template (a Helm chart's templates/*.yaml), read line by line from indentation
// and `key:` prefixes, with the `{{ }}` actions that write content attached to the block they write into.
// Templates are YAML-shaped but not YAML, so no YAML parser can read them: this outline is what lets a path
// of the rendered object be found on the template line that wrote it.
import { splitDocuments } from '../parse';

/** Where a `.Values` reference points: the key path below `.Values`. */
export type ValuesRef = readonly string[];

/** An action that writes content (not `if`/`end`): an include, or a value from values. */
export interface TemplateAction {
  line: number;
  /** Offsets of the action's text in the template. */
  start: number;
  end: number;
  /** `include "x"` / `template "x"`: the content comes from a named template. */
  include: boolean;
  /** The values the action writes (`toYaml .Values.x`, `.Values.a.b`, `toYaml .` inside `with .Values.x`). */
  values: ValuesRef[];
}

export interface OutlineNode {
  /** The map key (undefined for a sequence item and for the document root). */
  key?: string;
  /** True for a `- ` item of a sequence. */
  item: boolean;
  line: number;
  /** The column of the key (or of the dash of an item); -1 for the root. */
  column: number;
  /** Offsets of the node's first line, from the key (or dash) to the end of the line's content. */
  start: number;
  end: number;
  /** The inline value's text after `key:` (may hold `{{ }}` actions). */
  value: string;
  /** What the inline value writes from values. */
  valueRefs: ValuesRef[];
  /** Whether the inline value holds an include. */
  valueInclude: boolean;
  entries: OutlineNode[];
  items: OutlineNode[];
  /** Actions that write content into this node's block. */
  actions: TemplateAction[];
}

export interface OutlineDocument {
  root: OutlineNode;
  /** Offset of the document in the template text. */
  start: number;
  text: string;
}

const ACTION = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const VALUES_REF = /(?<![\w)])\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/g;
const BLOCK_OPENERS = /^(if|with|range|define|block)\b/;
const SCOPE_VALUES = /^(?:with|range)\s+(?:\$[\w]+\s*:?=\s*)?(?:\$|)\.Values((?:\.[A-Za-z_][\w-]*)+)/;
const INDENT_FILTER = /\|\s*n?indent\s+(\d+)/;
const KEY_LINE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{][^:#]*?|[^\s#'"{])\s*:(?:\s+|$)/;
const BLOCK_SCALAR = /^[|>][0-9+-]*\s*(#.*)?$/;

/** Splits a template into `---` documents (as the engine splits files) and outlines each. */
export function outlineTemplate(text: string): OutlineDocument[] {
  return splitDocuments(text).map((segment) => outlineDocument(text, segment.start, segment.start + segment.text.length));
}

interface Frame {
  node: OutlineNode;
}

/** A `with`/`range` over values (its path), over something else (null), an `if` (keeps `.`), or a `define`. */
type Scope = ValuesRef | null | 'inherit' | 'define';

function outlineDocument(text: string, from: number, to: number): OutlineDocument {
  const root = newNode(undefined, false, lineOf(text, from), -1, from, from, '');
  const stack: Frame[] = [{ node: root }];
  /** Open blocks: the values path `.` stands for inside a `with`/`range` (null: not from values). */
  const scopes: Scope[] = [];
  let blockScalarColumn = -1;
  let offset = from;
  let line = lineOf(text, from);
  while (offset < to) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 || newline > to ? to : newline;
    const raw = text.slice(offset, lineEnd).replace(/\r$/, '');
    const column = raw.length - raw.trimStart().length;
    const content = raw.trim();
    const here = { offset, line, column };
    offset = lineEnd + 1;
    line++;
    if (content === '') continue;
    if (blockScalarColumn !== -1) {
      if (column > blockScalarColumn) continue;
      blockScalarColumn = -1;
    }
    if (content.startsWith('#')) continue;
    const inDefine = scopes.includes('define');
    if (content.startsWith('{{') && onlyActions(content)) {
      for (const match of content.matchAll(ACTION)) {
        const body = match[1].replace(/^\/\*[\s\S]*\*\/$/, '').trim();
        if (body === '') continue;
        if (body === 'end') {
          scopes.pop();
          continue;
        }
        if (/^else\b/.test(body)) continue;
        const opener = BLOCK_OPENERS.exec(body);
        if (opener) {
          const scoped = SCOPE_VALUES.exec(body);
          scopes.push(opener[1] === 'define' ? 'define' : scoped ? pathOf(scoped[1]) : opener[1] === 'if' ? 'inherit' : null);
          continue;
        }
        if (inDefine) continue;
        const action = actionOf(body, scopes, here.line, here.offset + column + (match.index ?? 0), match[0].length);
        if (!action.include && action.values.length === 0 && !/\b(toYaml|tpl|toJson)\b/.test(body)) continue;
        const indent = INDENT_FILTER.exec(body);
        const effective = indent ? Number(indent[1]) : here.column;
        ownerAt(stack, effective).actions.push(action);
      }
      continue;
    }
    if (inDefine) continue;
    let rest = content;
    let restColumn = column;
    let restOffset = here.offset + column;
    if (rest === '-' || rest.startsWith('- ')) {
      while (stack.length > 1 && (top(stack).column > column || (top(stack).column === column && top(stack).item))) stack.pop();
      const item = newNode(undefined, true, here.line, column, restOffset, here.offset + raw.length, rest.slice(1).trim());
      top(stack).items.push(item);
      stack.push({ node: item });
      const after = rest.slice(1);
      const skipped = after.length - after.trimStart().length + 1;
      rest = after.trim();
      restColumn = column + skipped;
      restOffset += skipped;
      if (rest === '') continue;
      const key = KEY_LINE.exec(rest);
      if (!key) {
        item.valueRefs = refsOf(rest, scopes);
        item.valueInclude = /\b(include|template)\s+"/.test(rest);
        continue;
      }
    }
    const key = KEY_LINE.exec(rest);
    if (!key) continue; // a continuation line of a multi-line scalar, or something we do not follow
    while (stack.length > 1 && top(stack).column >= restColumn && !(top(stack).item && top(stack).column < restColumn)) stack.pop();
    const value = rest.slice(key[0].length);
    const node = newNode(unquote(key[1].trim()), false, here.line, restColumn, restOffset, here.offset + raw.length, value.trim());
    node.valueRefs = refsOf(value, scopes);
    node.valueInclude = /\b(include|template)\s+"/.test(value);
    top(stack).entries.push(node);
    stack.push({ node });
    if (BLOCK_SCALAR.test(value.trim())) blockScalarColumn = restColumn;
  }
  return { root, start: from, text: text.slice(from, to) };
}

function top(stack: Frame[]): OutlineNode {
  return stack[stack.length - 1].node;
}

/** The deepest open node whose block an action written at this indentation lands in. */
function ownerAt(stack: Frame[], indent: number): OutlineNode {
  for (let i = stack.length - 1; i > 0; i--) if (stack[i].node.column < indent) return stack[i].node;
  return stack[0].node;
}

function onlyActions(content: string): boolean {
  return content.replace(ACTION, '').trim() === '';
}

function actionOf(body: string, scopes: readonly Scope[], line: number, start: number, length: number): TemplateAction {
  return {
    line,
    start,
    end: start + length,
    include: /\b(include|template)\s+"/.test(body),
    values: refsOf(`{{ ${body} }}`, scopes),
  };
}

/** The values paths a text's actions read: `.Values.a.b`, and `.` or `.x` inside `with .Values.y`. */
function refsOf(text: string, scopes: readonly Scope[]): ValuesRef[] {
  const refs: ValuesRef[] = [];
  for (const action of text.matchAll(ACTION)) {
    const body = action[1];
    for (const match of body.matchAll(VALUES_REF)) refs.push(pathOf(match[1]));
    const scope = currentScope(scopes);
    if (scope) {
      const dotted = /(?:^|[\s(|])\.((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*)?(?=$|[\s)|])/g;
      for (const match of body.matchAll(dotted)) {
        const path = match[1] ? match[1].split('.') : [];
        if (['Values', 'Release', 'Chart', 'Capabilities', 'Template', 'Files'].includes(path[0])) continue;
        refs.push([...scope, ...path]);
      }
    }
  }
  return refs;
}

/** What `.` stands for here: the innermost `with`/`range` decides (an `if` keeps the outer one). */
function currentScope(scopes: readonly Scope[]): ValuesRef | null {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope === 'inherit') continue;
    return scope === 'define' ? null : scope;
  }
  return null;
}

function pathOf(dotted: string): string[] {
  return dotted.split('.').filter((part) => part !== '');
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

function newNode(
  key: string | undefined,
  item: boolean,
  line: number,
  column: number,
  start: number,
  end: number,
  value: string,
): OutlineNode {
  return { key, item, line, column, start, end, value, valueRefs: [], valueInclude: false, entries: [], items: [], actions: [] };
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
