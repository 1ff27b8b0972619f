// Quick fixes: the rule's mechanical fix as a minimal edit, and "suppress here" which asks for a reason.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { FixError, fixEdits } from '../../engine/fixes';
import { LineIndex } from '../../engine/line-index';
import type { Finding } from '../../engine/types';
import { DIAGNOSTIC_SOURCE, SUPPRESS_COMMAND, type SuppressArguments } from '../../protocol';
import type { DocumentAnalyzer } from '../analysis';

export async function codeActions(analyzer: DocumentAnalyzer, params: CodeActionParams): Promise<CodeAction[]> {
  const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
  if (ours.length === 0) return [];
  const analysis = await analyzer.current(params.textDocument.uri);
  if (!analysis) return [];
  const lines = new LineIndex(analysis.text);
  const actions: CodeAction[] = [];
  for (const diagnostic of ours) {
    const finding = analysis.result.findings.find((f) => f.ruleId === diagnostic.code && !f.suppressed && samePosition(f, diagnostic));
    if (!finding) continue;
    const fix = fixAction(params.textDocument.uri, analysis.text, lines, finding, diagnostic);
    if (fix) actions.push(fix);
    const args: SuppressArguments = { uri: params.textDocument.uri, line: finding.range.start.line, ruleId: finding.ruleId };
    actions.push({
      title: `Suppress ${finding.ruleId} here (with a reason)…`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Suppress with a reason', command: SUPPRESS_COMMAND, arguments: [args] },
    });
  }
  return actions;
}

function fixAction(uri: string, text: string, lines: LineIndex, finding: Finding, diagnostic: Diagnostic): CodeAction | undefined {
  if (!finding.fix) return undefined;
  let edits;
  try {
    edits = fixEdits(text, finding);
  } catch (error) {
    if (error instanceof FixError) return undefined;
    throw error;
  }
  if (edits.length === 0) return undefined;
  return {
    title: finding.fix.title,
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: edits.map((edit) => ({ range: lines.rangeOf(edit.span), newText: edit.newText })) } },
  };
}

function samePosition(finding: Finding, diagnostic: Diagnostic): boolean {
  return finding.range.start.line === diagnostic.range.start.line && finding.range.start.character === diagnostic.range.start.character;
}
