// Rule fixtures: test/fixtures/rules/<group>/<rule-id>/{fail,pass}.yaml, with an optional config.yaml
// (the `.fintech-k8s.yaml` format). In fail.yaml, a trailing `# expect: <rule-id>[, <rule-id>…]` marks
// each line where a finding must start.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigFile, resolveConfig } from '../../server/engine/config';
import { ALL_RULES } from '../../server/engine/rules';
import type { ResolvedConfig, Rule } from '../../server/engine/types';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'rules');

export interface RuleFixture {
  dir: string;
  fail: string;
  pass: string;
  config: ResolvedConfig;
}

export function fixtureDir(rule: Rule): string {
  return join(FIXTURES_DIR, rule.group, rule.id);
}

export function loadFixture(rule: Rule): RuleFixture | undefined {
  const dir = fixtureDir(rule);
  if (!existsSync(join(dir, 'fail.yaml')) || !existsSync(join(dir, 'pass.yaml'))) return undefined;
  const configPath = join(dir, 'config.yaml');
  const ids = new Set(ALL_RULES.map((r) => r.id));
  const config = resolveConfig(existsSync(configPath) ? parseConfigFile(readFileSync(configPath, 'utf8'), ids) : undefined);
  return { dir, fail: readFileSync(join(dir, 'fail.yaml'), 'utf8'), pass: readFileSync(join(dir, 'pass.yaml'), 'utf8'), config };
}

/** Zero-based lines, once per expected finding of ruleId. */
export function expectedLines(text: string, ruleId: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /#\s*expect:\s*([a-z0-9,\s-]+)$/.exec(line);
    if (!match) return;
    for (const id of match[1].split(',').map((s) => s.trim())) if (id === ruleId) lines.push(index);
  });
  return lines;
}
