// Outline: one symbol per Kubernetes object, named Kind/name, from the parses analysis already made.
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import { objectSymbols } from '../../engine/symbols';
import type { DocumentAnalyzer } from '../analysis';

export async function documentSymbols(analyzer: DocumentAnalyzer, params: DocumentSymbolParams): Promise<DocumentSymbol[]> {
  const analysis = await analyzer.current(params.textDocument.uri);
  if (!analysis) return [];
  if (analysis.symbols)
    return analysis.symbols.map((symbol) => ({
      name: `${symbol.kind}/${symbol.name || '(unnamed)'}`,
      detail: symbol.namespace ? `namespace ${symbol.namespace} (rendered)` : `${symbol.apiVersion} (rendered)`,
      kind: SymbolKind.Object,
      range: symbol.range,
      selectionRange: symbol.range,
    }));
  return objectSymbols(analysis.text, analyzer.parserFor(params.textDocument.uri)).map((symbol) => ({
    name: `${symbol.kind}/${symbol.name || '(unnamed)'}`,
    detail: symbol.namespace ? `namespace ${symbol.namespace}` : symbol.apiVersion,
    kind: SymbolKind.Object,
    range: symbol.range,
    selectionRange: symbol.nameRange,
  }));
}
