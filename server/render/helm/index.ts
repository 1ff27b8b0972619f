// Helm charts as render roots: found by Chart.yaml, rendered with `helm template`.
import type { Renderer } from '../registry';
import { chartDirOf, chartFiles } from './chart';
import { renderChart } from './render';

export const helmRenderer: Renderer = {
  kind: 'helm',
  program: 'helm',
  findRoots(files) {
    const dirs = new Set<string>();
    for (const file of files) {
      const dir = chartDirOf(file);
      if (dir) dirs.add(dir);
    }
    return [...dirs].map((dir) => ({ kind: 'helm', dir, inputs: chartFiles(dir) }));
  },
  render: renderChart,
};
