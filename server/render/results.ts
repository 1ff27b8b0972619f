// A root's findings on its source files, with the renderer's own problems (helm's errors, no helm found)
// added to the results of the files they are on.
import type { FileResult } from '../engine/types';
import type { RenderedRoot } from './types';

export function resultsOnSources(rendered: RenderedRoot, engineResults: readonly FileResult[]): FileResult[] {
  const results = rendered.toSources(engineResults);
  for (const problem of rendered.problems) {
    let result = results.find((r) => r.file === problem.file);
    if (!result) results.push((result = { file: problem.file, findings: [], problems: [], objects: [] }));
    result.problems.push(problem);
  }
  return results;
}
