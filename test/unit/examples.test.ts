// The bundled examples (the demo workspace) find what they are meant to show, where they show it.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/cli/cli';

const ROOT = resolve(__dirname, '..', '..');

async function scan(): Promise<{ code: number; lines: string[] }> {
  let stdout = '';
  const code = await main(['scan', 'examples', '--format', 'text'], {
    stdout: (t) => (stdout += t),
    stderr: () => {},
    readStdin: () => '',
    cwd: ROOT,
  });
  return { code, lines: stdout.trim().split('\n') };
}

describe('examples', async () => {
  const { code, lines } = await scan();
  const at = (file: string, line: number, rule: string) =>
    lines.some((l) => l.startsWith(`examples/${file}:${line}:`) && l.includes(`[${rule}]`));

  it('fail the scan with findings (exit 1), none of them a parse problem', async () => {
    assert.equal(code, 1);
    assert.ok(!lines.some((l) => /\[(yaml-syntax|rule-failed|too-complex)\]/.test(l)));
  });

  it('flag the first payments API at the offending lines', async () => {
    assert.ok(at('payments/payments-api.yaml', 19, 'image-tag-latest'));
    assert.ok(at('payments/payments-api.yaml', 19, 'trusted-registry'), 'examples/.fintech-k8s.yaml sets trustedRegistries');
    assert.ok(at('payments/payments-api.yaml', 23, 'host-port'));
    assert.ok(at('payments/payments-api.yaml', 28, 'allow-privilege-escalation'));
    assert.ok(at('payments/payments-api.yaml', 8, 'replicas-minimum'));
  });

  it('flag the settlement job and the node', async () => {
    assert.ok(at('payments/settlement-cronjob.yaml', 16, 'run-as-root-user'));
    assert.ok(at('payments/settlement-cronjob.yaml', 9, 'cronjob-concurrency'));
    assert.ok(at('blockchain/geth.yaml', 29, 'privileged-container'));
    assert.ok(at('blockchain/geth.yaml', 18, 'host-network'));
    assert.ok(at('blockchain/geth.yaml', 35, 'host-path-volume'));
  });

  it("flag the fraud scorer's slips against the Kubernetes schema, and only those", () => {
    assert.deepEqual(
      lines
        .filter((l) => l.startsWith('examples/payments/fraud-scorer.yaml'))
        .map((l) => /^[^:]+:(\d+):\d+: \w+ \[([a-z-]+)\]/.exec(l)!.slice(1)),
      [
        ['65', 'schema-invalid'],
        ['66', 'read-only-root-filesystem'],
        ['68', 'schema-invalid'],
      ],
    );
    assert.ok(
      lines.some((l) => l.includes('Unknown field "readOnlyRootFileSystem" in SecurityContext (did you mean "readOnlyRootFilesystem"?)')),
    );
  });

  it('find nothing in the hardened API and the namespace', async () => {
    assert.deepEqual(
      lines.filter((l) => l.startsWith('examples/payments/hardened-api.yaml') || l.startsWith('examples/payments/namespace.yaml')),
      [],
    );
  });

  it('honour the workspace settings: host-users is off there', async () => {
    assert.ok(!lines.some((l) => l.includes('[host-users]')));
  });
});
