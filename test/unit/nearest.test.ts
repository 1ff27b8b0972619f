// References between objects resolve to the nearest definition (same file, same directory, up the
// tree), as repositories with variant folders define the same Service once per variant.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/engine/engine';
import { closeness, nearestTo, relativeFile } from '../../server/engine/nearest';

const ROOT = join(__dirname, '..', 'fixtures', 'workspaces', 'variant-folders');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : name.endsWith('.yaml') ? [path] : [];
  });
}

describe('nearest definition', () => {
  it('prefers the same file, then the same directory, then one up the tree over a sibling branch', () => {
    const from = 'variants/tls/ingress.yaml';
    assert.ok(closeness(from, from) > closeness(from, 'variants/tls/frontend.yaml'));
    assert.ok(closeness(from, 'variants/tls/frontend.yaml') > closeness(from, 'variants/frontend.yaml'));
    assert.ok(closeness(from, 'variants/frontend.yaml') > closeness(from, 'variants/node-port/frontend.yaml'));
    const candidates = ['base/frontend.yaml', 'variants/node-port/frontend.yaml', 'variants/tls/frontend.yaml'].map((file) => ({ file }));
    assert.equal(nearestTo(from, candidates)?.file, 'variants/tls/frontend.yaml');
    assert.equal(relativeFile(from, 'variants/node-port/frontend.yaml'), '../node-port/frontend.yaml');
  });

  it('in a workspace of variant folders, each Ingress and Service is judged against the copies nearest to it', () => {
    // Scanned in both orders: the answer must not depend on which copy was indexed last.
    const files = yamlFiles(ROOT).map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
    for (const order of [files, [...files].reverse()]) {
      const findings = analyze(order)
        .flatMap((r) => r.findings)
        .filter((f) => f.ruleId === 'ingress-dangling-backend' || f.ruleId === 'dangling-service');
      assert.deepEqual(findings.map((f) => `${f.file}:${f.range.start.line + 1} ${f.ruleId}`).sort(), [
        'variants/tls/ingress.yaml:20 ingress-dangling-backend',
        'variants/tls/ledger-db.yaml:27 dangling-service',
      ]);
      const ingress = findings.find((f) => f.ruleId === 'ingress-dangling-backend')!;
      assert.match(ingress.related![0].message, /in frontend\.yaml \(the nearest of 3 definitions\) declares port 443 \("https"\)/);
      assert.equal(ingress.related![0].file, 'variants/tls/frontend.yaml');
      const service = findings.find((f) => f.ruleId === 'dangling-service')!;
      // The base folder's StatefulSet of the same name is farther away than the one beside the Service.
      assert.match(
        service.related![0].message,
        /nearest workload, StatefulSet default\/ledger-db in ledger-db\.yaml, has pod labels app=ledger-db/,
      );
      assert.equal(service.related![0].file, 'variants/tls/ledger-db.yaml');
    }
  });
});
