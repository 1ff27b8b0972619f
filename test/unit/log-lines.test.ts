// Log lines as they come off the wire: a line of hundreds of megabytes without a newline is cut to a
// marked prefix instead of piling up in the extension host, and the redactor stays linear in the line.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { MAX_LINE_CHARS, readLines } from '../../src/kube/logs/log-request';
import { createRedactor } from '../../src/kube/logs/redact';

/** Feeds chunks through a stream as a response body would arrive, and collects the lines read. */
async function linesOf(chunks: Iterable<string>, keepPartial = false): Promise<string[]> {
  const body = new PassThrough();
  const lines: string[] = [];
  const done = readLines(body as unknown as IncomingMessage, (line) => lines.push(line), new AbortController().signal, keepPartial);
  for (const chunk of chunks) if (!body.write(chunk)) await new Promise((resolve) => body.once('drain', resolve));
  body.end();
  await done;
  return lines;
}

function* repeated(chunk: string, times: number): Generator<string> {
  for (let i = 0; i < times; i++) yield chunk;
}

describe('log line length cap', () => {
  it('cuts a 64 MB line to a marked prefix and goes on with the next line', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const lines = await linesOf(['2026-01-01T00:00:00Z start ', ...repeated(chunk, 1024), '\nnext line\n']);
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith('2026-01-01T00:00:00Z start '), 'the timestamp stays, so a resumed stream can deduplicate');
    assert.ok(lines[0].length < MAX_LINE_CHARS + 100, `${lines[0].length} characters`);
    assert.match(lines[0], / … \[line cut: \d+ more characters not shown\]$/);
    const shown = MAX_LINE_CHARS - lines[0].indexOf('x');
    const total = 64 * 1024 * 1024;
    assert.match(lines[0], new RegExp(`\\[line cut: ${total - Math.min(shown, total)} more`));
    assert.equal(lines[1], 'next line');
  });

  it('never shows part of a token the cut runs through (a card number stays whole or goes)', async () => {
    const pan = '4111111111111111';
    const head = 'a'.repeat(MAX_LINE_CHARS - 8) + ' card ';
    const [line] = await linesOf([head, pan, ' tail\n']);
    assert.ok(!/\d/.test(line.replace(/\[line cut: \d+/, '')), line.slice(-80));
    assert.match(line.slice(-80), /card +… \[line cut: \d+ more characters not shown\]$/);
  });

  it('keeps lines under the cap as they are, across chunk boundaries, and a cut-off last line of a plain read', async () => {
    const lines = await linesOf(['one\ntw', 'o\n', 'thr', 'ee'], true);
    assert.deepEqual(lines, ['one', 'two', 'three']);
    const exact = 'y'.repeat(MAX_LINE_CHARS);
    assert.deepEqual(await linesOf([exact + '\n']), [exact]);
  });
});

describe('redactor on long lines', () => {
  // Generous bounds: the work is a few milliseconds; they only tell linear from quadratic (2.2 s before).
  it('a blank run after a PEM BEGIN line', { timeout: 30_000 }, () => {
    const redact = createRedactor();
    redact('-----BEGIN RSA PRIVATE KEY-----');
    assert.equal(redact(' '.repeat(80_000) + 'x'), '***', 'a body line of the open block');
    assert.equal(redact(' '.repeat(80_000) + 'not a key line!'), ' '.repeat(80_000) + 'not a key line!');
  });

  it('lines of repeated secret-looking words at the cap', { timeout: 30_000 }, () => {
    for (const unit of ['Authorization: ', 'password="', 'Bearer ', '4111-', 'abandon ', 'eyJab.eyJab.', 'x://a:', 'secret:"\\']) {
      const line = unit.repeat(Math.ceil(MAX_LINE_CHARS / unit.length));
      assert.equal(typeof createRedactor()(line), 'string');
    }
  });
});
