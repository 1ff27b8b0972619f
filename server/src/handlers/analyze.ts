// fintechK8s/analyze: the rule engine on any text, with the settings of the given URI. The client's deploy
// gate and the explorer's compliance badges ask here rather than bundling the engine a second time.
import { analyzeText } from '../../engine/engine';
import { qualifiedName } from '../../engine/format/object-name';
import type { AnalyzeParams, AnalyzeResult } from '../../protocol';
import type { SettingsProvider } from '../settings';

export async function analyze(settings: SettingsProvider, params: AnalyzeParams): Promise<AnalyzeResult> {
  const { config } = await settings.forDocument(params.uri);
  const result = analyzeText(params.uri, params.text, { config });
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      range: f.range,
      object: qualifiedName(f.object),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
    problems: result.problems.map((p) => ({ code: p.code, message: p.message, line: p.range.start.line })),
  };
}
