// `npm start`: build, package the .vsix, and lint the bundled examples with the CLI, so a newcomer sees
// the product work end to end. (Serving VS Code in the browser on a local cluster comes with the e2e setup.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(command, args, { allowFailure = false } = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0 && !allowFailure) process.exit(result.status ?? 1);
  return result.status;
}

run('npm', ['run', 'package']);
// Findings are the point of the examples: exit code 1 is expected here.
const status = run(process.execPath, ['dist/cli.js', 'scan', 'examples'], { allowFailure: true });
if (status === 2) process.exit(2);
if (existsSync('dist/fintech-k8s.vsix')) {
  console.log(`
Built dist/fintech-k8s.vsix. Install it with:
  code --install-extension dist/fintech-k8s.vsix
then open the examples/ folder: findings appear in the Problems panel as you edit.`);
}
