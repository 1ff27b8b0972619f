// The desktop path of `npm run test:vscode` (test/vscode/runner/desktop-host.ts), where no desktop VS Code
// can run: a stand-in executable records how @vscode/test-electron and the Restricted Mode launch start it.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findDesktopVSCode, runOnDesktop } from '../vscode/runner/desktop-host';
import type { HostRun } from '../vscode/runner/code-server-host';

let dir: string;
let executable: string;

/** A "VS Code" that writes its arguments (one a line) and one variable of its environment, then exits 3. */
function standIn(): string {
  const path = join(dir, 'code');
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nprintf '%s' "$FINTECH_K8S_VSCODE_SUITE" > "${dir}/suite"\nexit 3\n`);
  chmodSync(path, 0o755);
  return path;
}

function hostRun(trusted: boolean): HostRun {
  return {
    workspace: join(dir, 'examples'),
    suiteDir: join(dir, 'suite'),
    extensionDir: join(dir, 'extension'),
    env: { FINTECH_K8S_VSCODE_SUITE: trusted ? 'trusted' : 'untrusted' },
    trusted,
    artifacts: join(dir, 'artifacts'),
  };
}

const argv = () => readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
const settings = (profile: string) => JSON.parse(readFileSync(join(profile, 'user-data', 'User', 'settings.json'), 'utf8'));

describe('test:vscode on a desktop VS Code', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-desktop-host-'));
    executable = standIn();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the trusted window through runTests: the folder, its own profile, the suite, the environment; a failing exit code comes back', async () => {
    const profile = join(dir, 'trusted-profile');
    const code = await runOnDesktop(executable, hostRun(true), profile);
    assert.equal(code, 3);
    const args = argv();
    assert.equal(args[0], join(dir, 'examples'));
    assert.ok(args.includes(`--extensionTestsPath=${join(dir, 'suite', 'index.js')}`), args.join(' '));
    assert.ok(args.includes(`--extensionDevelopmentPath=${join(dir, 'extension')}`), args.join(' '));
    assert.ok(args.includes('--disable-workspace-trust'));
    assert.equal(args[args.indexOf('--user-data-dir') + 1], join(profile, 'user-data'));
    assert.equal(readFileSync(join(dir, 'suite'), 'utf8'), 'trusted');
    assert.equal(settings(profile)['security.workspace.trust.enabled'], false);
  });

  it('starts the untrusted window without --disable-workspace-trust, with trust on and no startup prompt', async () => {
    const profile = join(dir, 'untrusted-profile');
    const code = await runOnDesktop(executable, hostRun(false), profile);
    assert.equal(code, 3);
    const args = argv();
    assert.equal(args[0], join(dir, 'examples'));
    assert.ok(!args.includes('--disable-workspace-trust'), args.join(' '));
    assert.ok(args.includes(`--extensionTestsPath=${join(dir, 'suite', 'index.js')}`));
    assert.equal(readFileSync(join(dir, 'suite'), 'utf8'), 'untrusted');
    assert.equal(settings(profile)['security.workspace.trust.enabled'], true);
    assert.equal(settings(profile)['security.workspace.trust.startupPrompt'], 'never');
  });

  it('takes FINTECH_K8S_VSCODE_EXECUTABLE as it is, and says why without a display instead of downloading', async () => {
    const saved = { exe: process.env.FINTECH_K8S_VSCODE_EXECUTABLE, display: process.env.DISPLAY, wayland: process.env.WAYLAND_DISPLAY };
    try {
      process.env.FINTECH_K8S_VSCODE_EXECUTABLE = executable;
      assert.deepEqual(await findDesktopVSCode(join(dir, 'cache')), { executable });
      delete process.env.FINTECH_K8S_VSCODE_EXECUTABLE;
      delete process.env.DISPLAY;
      delete process.env.WAYLAND_DISPLAY;
      if (process.platform === 'linux') {
        const choice = await findDesktopVSCode(join(dir, 'cache'));
        assert.ok('unavailable' in choice && /display/.test(choice.unavailable), JSON.stringify(choice));
      }
    } finally {
      for (const [key, value] of [
        ['FINTECH_K8S_VSCODE_EXECUTABLE', saved.exe],
        ['DISPLAY', saved.display],
        ['WAYLAND_DISPLAY', saved.wayland],
      ] as const)
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  });
});
