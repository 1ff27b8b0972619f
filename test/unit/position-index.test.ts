// The lightweight position index must agree with the full parser wherever it answers: every path of
// every fixture document, and paths that miss, are located both ways and compared.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { locate } from '../../server/engine/locate';
import { isMap } from '../../server/engine/objects';
import { splitDocuments, parseSegment } from '../../server/engine/parse';
import { PositionIndex } from '../../server/engine/position-index';
import type { Path } from '../../server/engine/types';

const FIXTURES = resolve(__dirname, '..', 'fixtures');

function yamlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** Every path in a value, plus a missing key under each map and a missing index under each list. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
    paths.push([...prefix, value.length + 5]);
  } else if (isMap(value)) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
    paths.push([...prefix, 'missingKey'], [...prefix, 'missingKey', 'deeper']);
  }
  return paths;
}

describe('position index', () => {
  const files = yamlFiles(FIXTURES);

  it('agrees with the full parser on every path of every fixture, and answers most of them', () => {
    let answered = 0;
    let asked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const segment of splitDocuments(text)) {
        const parsed = parseSegment(segment.text);
        if (parsed.error) continue;
        const doc = parseDocument(segment.text);
        const index = new PositionIndex(segment.text);
        for (const path of pathsOf(parsed.value)) {
          asked++;
          const quick = index.locate(path);
          if (!quick) continue;
          answered++;
          const full = locate(doc, path);
          assert.deepEqual(
            { text: segment.text.slice(quick.start, quick.end), exact: quick.exact },
            { text: segment.text.slice(full.start, full.end), exact: full.exact },
            `${file} path ${JSON.stringify(path)}`,
          );
        }
      }
    }
    assert.ok(files.length > 50, `${files.length} fixture files`);
    assert.ok(answered / asked > 0.7, `answered ${answered} of ${asked}`);
  });

  it('declines what it cannot answer exactly instead of guessing', () => {
    const index = new PositionIndex('a: {b: 1}\nc: &x\n  d: 1\ne: |\n  f: 2\n');
    assert.equal(index.locate(['a', 'b']), undefined);
    assert.equal(index.locate(['c', 'd']), undefined);
    assert.deepEqual(index.locate(['e', 'f']), { start: 23, end: 24, exact: false }, 'the key of a block scalar');
  });

  it('handles lists at the same indentation as their key, quoted keys, comments and CRLF', () => {
    const text = 'spec:\r\n  containers:\r\n  # main\r\n  - name: api # the API\r\n    "image": "x:1" # pinned\r\n';
    const index = new PositionIndex(text);
    const at = (path: Path) => {
      const located = index.locate(path)!;
      return text.slice(located.start, located.end);
    };
    assert.equal(at(['spec', 'containers', 0, 'image']), '"image": "x:1"');
    assert.equal(at(['spec', 'containers', 0]), 'name: api');
    assert.equal(at(['spec', 'containers', 0, 'securityContext']), 'name: api');
  });
});
