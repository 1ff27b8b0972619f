#!/usr/bin/env node
// `npm test` on a fresh machine: runs the given command (the whole suite) with a test cluster. Uses
// FINTECH_K8S_TEST_KUBECONFIG when set; else reuses a harness cluster that is running (`npm run
// cluster:up`), or makes sure Go is there, starts one (a stale one left by a crash or Ctrl-C is replaced)
// and stops it at the end, also on Ctrl-C. Node built-ins only: it runs before anything is built.
//
//   node test/cluster/with-cluster.mjs <command> [args...]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const STATE = path.resolve(process.env.FINTECH_K8S_STATE || path.join(os.homedir(), '.cache', 'fintech-k8s', 'run'));
const CLUSTER = path.join(HERE, 'cluster.mjs');
const say = (message) => console.log(`[test] ${message}`);

function cluster(command, env = process.env) {
  return spawnSync(process.execPath, [CLUSTER, command], { cwd: ROOT, stdio: 'inherit', env }).status;
}

/** Go for building the cluster binaries (cached after the first build): PATH, Debian or the Go module proxy. */
function ensureGo() {
  if (process.env.GO) return process.env.GO;
  const found = spawnSync('bash', [path.join(HERE, 'ensure-go.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (found.status !== 0) throw new Error('could not find or install Go (test/cluster/ensure-go.sh failed)');
  return found.stdout.trim().split('\n').pop();
}

/** The cluster the suite talks to; `started` when this run started it (and so stops it). */
function prepare() {
  const external = process.env.FINTECH_K8S_TEST_KUBECONFIG;
  if (external) {
    say(`using the cluster of FINTECH_K8S_TEST_KUBECONFIG (${external})`);
    return { env: {}, started: false };
  }
  const kubeconfig = path.join(STATE, 'kubeconfig');
  const quiet = { ...process.env };
  // `status` is 0 only when every recorded process of the harness is alive: a leftover kubeconfig of a
  // stopped cluster does not count (it would fail every test with ECONNREFUSED).
  if (fs.existsSync(kubeconfig) && spawnSync(process.execPath, [CLUSTER, 'status'], { env: quiet, stdio: 'ignore' }).status === 0) {
    say(`reusing the running test cluster (${kubeconfig}); it stays up afterwards`);
    return { env: { FINTECH_K8S_TEST_KUBECONFIG: kubeconfig }, started: false };
  }
  const go = ensureGo();
  const started = Date.now();
  if (cluster('up', { ...process.env, GO: go }) !== 0) throw new Error('the test cluster did not start (see the lines above)');
  say(`test cluster up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { env: { FINTECH_K8S_TEST_KUBECONFIG: kubeconfig, GO: go }, started: true };
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: node test/cluster/with-cluster.mjs <command> [args...]');
    return Promise.resolve(2);
  }
  let setup;
  try {
    setup = prepare();
  } catch (error) {
    console.error(`[test] ${error.message}`);
    return Promise.resolve(1);
  }
  let stopped = false;
  const stop = () => {
    if (!setup.started || stopped) return;
    stopped = true;
    say('stopping the test cluster this run started');
    cluster('down');
  };
  return new Promise((resolve) => {
    // The cluster tests must run, not skip, under the test command.
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...setup.env, FINTECH_K8S_REQUIRE_CLUSTER: '1' },
    });
    const forward = (signal) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (error) => {
      console.error(`[test] cannot run ${command}: ${error.message}`);
      stop();
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stop();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

main().then((code) => process.exit(code));
