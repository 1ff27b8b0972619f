// The hardened chart scaffolds shipped with the extension (chart-scaffolds/<id>/): listing them and
// writing one out under a new chart name. No vscode import: the unit tests and the API-server dry run
// use the very same code.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The chart name in a scaffold's files (Chart.yaml's name, the helpers' template names). */
export const CHART_NAME_PLACEHOLDER = '__CHART__';

export interface ChartScaffold {
  id: string;
  dir: string;
  /** Chart.yaml's description. */
  description: string;
}

export function listScaffolds(root: string): ChartScaffold[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'Chart.yaml')))
    .map((entry) => {
      const chart = readFileSync(join(root, entry.name, 'Chart.yaml'), 'utf8');
      return { id: entry.name, dir: join(root, entry.name), description: /^description: (.*)$/m.exec(chart)?.[1] ?? '' };
    });
}

/** Writes the scaffold to `target` (which must not exist) with every placeholder set to `name`. */
export function writeScaffold(scaffold: ChartScaffold, target: string, name: string): string[] {
  if (existsSync(target)) throw new Error(`${target} already exists`);
  cpSync(scaffold.dir, target, { recursive: true, errorOnExist: true });
  const written: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else {
        writeFileSync(path, readFileSync(path, 'utf8').split(CHART_NAME_PLACEHOLDER).join(name));
        written.push(path);
      }
    }
  };
  visit(target);
  return written.sort();
}
