// Scan Workspace: the client sends batches of file URIs; each is linted into the Problems panel.
import type { ScanFilesParams, ScanFilesResult } from '../../protocol';
import type { DocumentAnalyzer } from '../analysis';

export async function scanFiles(analyzer: DocumentAnalyzer, params: ScanFilesParams): Promise<ScanFilesResult> {
  const result: ScanFilesResult = { files: 0, findings: 0, failedFiles: 0 };
  for (const uri of params.uris) {
    result.files++;
    try {
      const analysis = await analyzer.analyzeFile(uri);
      result.findings += analysis.result.findings.filter((f) => !f.suppressed).length;
      if (analysis.result.problems.some((p) => p.severity === 'error')) result.failedFiles++;
    } catch {
      // Unreadable (deleted meanwhile, permissions): count it, keep scanning the rest.
      result.failedFiles++;
    }
  }
  return result;
}
