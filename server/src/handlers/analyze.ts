// fintechK8s/analyze: the rule engine on any text, with the settings of the given URI. The client's deploy
// gate and the explorer's compliance badges ask here rather than bundling the engine a second time.
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../engine/engine';
import { isChartTemplate } from '../../render/helm/chart';
import { qualifiedName } from '../../engine/format/object-name';
import type { Finding } from '../../engine/types';
import type { AnalyzedFinding, AnalyzeParams, AnalyzeResult } from '../../protocol';
import type { SettingsProvider } from '../settings';
import type { WorkspaceIndex } from '../workspace-index';

export async function analyze(settings: SettingsProvider, index: WorkspaceIndex, params: AnalyzeParams): Promise<AnalyzeResult> {
  // A chart's template is not a manifest: what it means depends on values, so it is never deployed raw.
  if (params.uri.startsWith('file:') && isChartTemplate(fileURLToPath(params.uri)))
    return {
      findings: [],
      problems: [
        {
          code: 'helm-template',
          severity: 'error',
          line: 0,
          message: 'This file is a Helm chart template: deploy the chart (helm), not the template on its own',
        },
      ],
    };
  const { config } = await settings.forDocument(params.uri);
  // A file to deploy is judged with the rest of the workspace, as in the editor; a live object stands alone
  // (what the workspace defines need not be what the cluster runs).
  const context = params.uri.startsWith('file:') || params.uri.startsWith('untitled:') ? index.contextIndexFor(params.uri) : undefined;
  const result = analyzeText(params.uri, params.text, { config, context });
  return {
    findings: result.findings.map(analyzedFinding),
    problems: result.problems.map((p) => ({ code: p.code, message: p.message, line: p.range.start.line, severity: p.severity })),
  };
}

/** The engine's finding as the protocol carries it to the client. */
export function analyzedFinding(f: Finding): AnalyzedFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    range: f.range,
    object: qualifiedName(f.object),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  };
}
