// Mutations of real manifests for the fuzz run: what editors, generators and attackers produce (cut files,
// shifted indentation, byte noise, anchors and tags, huge and odd scalars, deep nesting, prototype keys).
// Deterministic: the same seed gives the same documents, so a failure can be replayed.

/** mulberry32: a small seeded generator, plenty for choosing mutations. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, max: number) => Math.floor(rng() * max);

const PROTOTYPE_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const ODD_TEXT = [
  '\u0000',
  '\uFEFF',
  '\u202E',
  '\uD800',
  '\u00A0',
  '\u2028',
  '😀',
  'İ',
  '\t',
  '\r',
  '\\',
  '"',
  "'",
  '%',
  '@',
  '`',
  '|',
  '>',
];
const YAML_BITS = [
  '&a ',
  '*a',
  '!!binary ',
  '!custom ',
  '<<: *a',
  '? ',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '---\n',
  '...\n',
  '|-\n',
  '>+\n',
  '!!str ',
  '!!int ',
  '!!map ',
];

export type Mutation = (text: string, rng: Rng, corpus: readonly string[]) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

/** Every mutation, named for the report. */
export const MUTATIONS: Record<string, Mutation> = {
  flipBytes(text, rng) {
    const chars = [...text];
    for (let n = 1 + int(rng, 8); n > 0 && chars.length > 0; n--) chars[int(rng, chars.length)] = String.fromCharCode(int(rng, 128));
    return chars.join('');
  },
  truncate: (text, rng) => text.slice(0, int(rng, text.length + 1)),
  shiftIndentation(text, rng) {
    const all = lines(text);
    const from = int(rng, all.length);
    const by = int(rng, 9) - 4;
    for (let i = from; i < Math.min(all.length, from + 1 + int(rng, 20)); i++)
      all[i] = by >= 0 ? ' '.repeat(by) + all[i] : all[i].replace(new RegExp(`^ {0,${-by}}`), '');
    return all.join('\n');
  },
  deleteLines(text, rng) {
    const all = lines(text);
    all.splice(int(rng, all.length), 1 + int(rng, 4));
    return all.join('\n');
  },
  duplicateLines(text, rng) {
    const all = lines(text);
    const at = int(rng, all.length);
    all.splice(at, 0, ...all.slice(at, at + 1 + int(rng, 6)));
    return all.join('\n');
  },
  yamlSyntax(text, rng) {
    const at = int(rng, text.length + 1);
    return text.slice(0, at) + pick(rng, YAML_BITS) + text.slice(at);
  },
  anchorsAndAliases(text, rng) {
    const all = lines(text);
    const i = int(rng, all.length);
    all[i] = all[i].replace(/: (\S)/, ': &x $1');
    const j = int(rng, all.length);
    all[j] = all[j].replace(/: \S.*$/, ': *x');
    return all.join('\n');
  },
  hugeScalar(text, rng) {
    const all = lines(text);
    const i = int(rng, all.length);
    const unit = pick(rng, ['x', ' ', 'ab ', '4111 1111 1111 1111 ', 'password=', 'abandon ', '\\"', '0']);
    all[i] = all[i].replace(/: .*$/, ': ') + unit.repeat(int(rng, 50_000));
    return all.join('\n');
  },
  longBlankRun(text, rng) {
    const at = int(rng, text.length + 1);
    return text.slice(0, at) + ' '.repeat(int(rng, 100_000)) + pick(rng, ['x', '[', ':', '\n', '- ']) + text.slice(at);
  },
  deepNesting(text, rng) {
    const depth = int(rng, 4000);
    const at = int(rng, text.length + 1);
    const nest = pick(rng, [
      () => '- '.repeat(depth) + 'x\n  a: b\n',
      () => '? '.repeat(depth) + 'x\n',
      () => 'k: ' + '['.repeat(depth) + ']'.repeat(int(rng, depth + 1)) + '\n',
      () => 'k: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n',
      () => Array.from({ length: Math.min(depth, 1500) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + '\n',
    ])();
    return text.slice(0, at) + nest + text.slice(at);
  },
  oddUnicode(text, rng) {
    const chars = [...text];
    for (let n = 1 + int(rng, 5); n > 0; n--) chars.splice(int(rng, chars.length + 1), 0, pick(rng, ODD_TEXT));
    return chars.join('');
  },
  crlf: (text) => text.replace(/\n/g, '\r\n'),
  bom: (text) => '\uFEFF' + text,
  prototypeWords(text, rng) {
    const word = pick(rng, PROTOTYPE_WORDS);
    const all = lines(text);
    for (let n = 1 + int(rng, 4); n > 0; n--) {
      const i = int(rng, all.length);
      all[i] = rng() < 0.5 ? all[i].replace(/^(\s*(?:- )?)[\w./-]+:/, `$1${word}:`) : all[i].replace(/: [^\s#].*$/, `: ${word}`);
    }
    return all.join('\n');
  },
  prototypeKind: (text, rng) => `apiVersion: v1\nkind: ${pick(rng, PROTOTYPE_WORDS)}\nmetadata: {name: x}\n---\n${text}`,
  spliceDocuments(text, rng, corpus) {
    const other = pick(rng, corpus);
    const all = lines(other);
    const from = int(rng, all.length);
    return `${text}\n---\n${all.slice(from, from + 1 + int(rng, 40)).join('\n')}`;
  },
  documentMarkers(text, rng) {
    const all = lines(text);
    all.splice(int(rng, all.length + 1), 0, pick(rng, ['---', '...', '--- !!map', '%YAML 1.2', '--- |']));
    return all.join('\n');
  },
  tags(text, rng) {
    const all = lines(text);
    const i = int(rng, all.length);
    all[i] = all[i].replace(/: (\S)/, `: ${pick(rng, ['!!binary', '!!timestamp', '!!float', '!!set', '!!omap', '!local', '!<tag:x>'])} $1`);
    return all.join('\n');
  },
};

const NAMES = Object.keys(MUTATIONS);

/** One document: a corpus file with one to three mutations; the names say which, for replaying. */
export function mutate(corpus: readonly string[], rng: Rng): { text: string; mutations: string[] } {
  let text = pick(rng, corpus);
  const mutations: string[] = [];
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const name = pick(rng, NAMES);
    text = MUTATIONS[name](text, rng, corpus);
    mutations.push(name);
  }
  return { text, mutations };
}
