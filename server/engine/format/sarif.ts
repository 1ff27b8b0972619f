// SARIF 2.1.0, as code-scanning services read it: rule metadata with help, one result per finding
// (suppressed ones carry `suppressions`), and the Kubernetes object as a logical location.
import { pathToFileURL } from 'node:url';
import { isAbsolute, relative, sep } from 'node:path';
import { ruleDocsUrl, PROJECT_URL } from '../docs-url';
import type { FileResult, Finding, Rule, Severity } from '../types';
import { qualifiedName } from './object-name';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** GitHub code scanning sorts by this (0–10): a rough mapping from our severities. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/**
 * Writes a SARIF log in pieces, so a large scan streams its results file by file: `start`, then `file` for
 * each file (its results, comma-joined), then `end` with the notifications gathered on the way.
 */
export class SarifWriter {
  private readonly ruleIndex: Map<string, number>;
  private readonly notifications: object[] = [];
  private written = 0;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly version: string,
    private readonly baseDirectory: string,
  ) {
    this.ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  }

  /** Everything up to the opening of the results list; `config` is the settings file that applied, or null. */
  start(config: string | null = null): string {
    const header = JSON.stringify({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: driver(this.rules, this.version) },
          originalUriBaseIds: originalUriBaseIds(this.baseDirectory),
          properties: { configFile: config },
          results: [],
        },
      ],
    });
    // The header ends `"results":[]}]}`: keep it open after `[`, for the results and end() to follow.
    const closing = ']}]}';
    return header.slice(0, -closing.length) + '\n';
  }

  /** One file's results (a comma-led fragment after the first), and its problems kept for the end. */
  file(result: FileResult): string {
    for (const problem of result.problems)
      this.notifications.push({
        level: LEVEL[problem.severity],
        message: { text: problem.message },
        descriptor: { id: problem.code },
        locations: [{ physicalLocation: { artifactLocation: artifact(result.file, this.baseDirectory), region: region(problem.range) } }],
      });
    const fragments = result.findings.map((finding) => JSON.stringify(this.result(result.file, finding)));
    if (fragments.length === 0) return '';
    const text = (this.written === 0 ? '' : ',\n') + fragments.join(',\n');
    this.written += fragments.length;
    return text;
  }

  /** Closes the log; `error` says the run stopped early (a bug), so the results may be incomplete. */
  end(error?: string): string {
    if (error !== undefined) this.notifications.push({ level: 'error', message: { text: error }, descriptor: { id: 'internal-error' } });
    // A file we could not analyse, or a rule that failed (its results are missing), fails the run.
    const failed = this.notifications.some((n) => {
      const { level, descriptor } = n as { level: string; descriptor: { id: string } };
      return level === 'error' || descriptor.id === 'rule-failed';
    });
    const invocations = [{ executionSuccessful: !failed, toolExecutionNotifications: this.notifications }];
    return `\n],"invocations":${JSON.stringify(invocations)}}]}\n`;
  }

  private result(file: string, finding: Finding) {
    return {
      ruleId: finding.ruleId,
      ...(this.ruleIndex.has(finding.ruleId) ? { ruleIndex: this.ruleIndex.get(finding.ruleId) } : {}),
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: { artifactLocation: artifact(file, this.baseDirectory), region: region(finding.range) },
          logicalLocations: [{ fullyQualifiedName: qualifiedName(finding.object), kind: 'resource' }],
        },
      ],
      // The objects the finding depends on, often in other files (a Service exposing this node's port).
      ...(finding.related?.length
        ? {
            relatedLocations: finding.related.map((related, id) => ({
              id,
              physicalLocation: { artifactLocation: artifact(related.file, this.baseDirectory), region: region(related.range) },
              message: { text: related.message },
            })),
          }
        : {}),
      ...(finding.suppressed
        ? { suppressions: [{ kind: 'inSource', justification: finding.suppressed.reason || '(no reason given)' }] }
        : {}),
    };
  }
}

function driver(rules: readonly Rule[], version: string) {
  return {
    name: 'fintech-k8s',
    version,
    semanticVersion: version,
    informationUri: PROJECT_URL,
    rules: rules.map((rule) => ({
      id: rule.id,
      name: rule.title,
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.rationale },
      helpUri: ruleDocsUrl(rule.id),
      help: { text: `${rule.rationale}\n\nRemediation: ${rule.remediation}`, markdown: helpMarkdown(rule) },
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: {
        tags: ['security', 'kubernetes', rule.group, ...rule.references.pci.map((r) => `PCI-DSS-v4.0/${r}`)],
        'security-severity': SECURITY_SEVERITY[rule.severity],
        pci: rule.references.pci,
        ...(rule.references.cis ? { cis: rule.references.cis } : {}),
        ...(rule.references.pss ? { podSecurityStandard: rule.references.pss } : {}),
      },
    })),
  };
}

function originalUriBaseIds(baseDirectory: string) {
  return { SRCROOT: { uri: pathToFileURL(baseDirectory + sep).href } };
}

function artifact(file: string, baseDirectory: string): { uri: string; uriBaseId?: string } {
  if (file === '-' || file === '<stdin>') return { uri: 'stdin' };
  const path = isAbsolute(file) ? relative(baseDirectory, file) : file;
  if (path.startsWith('..') || isAbsolute(path)) return { uri: pathToFileURL(file).href };
  return { uri: path.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function region(range: { start: { line: number; character: number }; end: { line: number; character: number } }) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: Math.max(range.end.character + 1, range.end.line === range.start.line ? range.start.character + 2 : 1),
  };
}

function helpMarkdown(rule: Rule): string {
  const refs = [
    rule.references.pci.length ? `PCI DSS v4.0: ${rule.references.pci.join(', ')}` : undefined,
    rule.references.cis ? `CIS Kubernetes Benchmark: ${rule.references.cis.join(', ')}` : undefined,
    rule.references.pss ? `Pod Security Standards: ${rule.references.pss}` : undefined,
  ].filter(Boolean);
  return `**${rule.title}**\n\n${rule.rationale}\n\n**Remediation:** ${rule.remediation}\n\n${refs.map((r) => `- ${r}`).join('\n')}\n\n[Rule documentation](${ruleDocsUrl(rule.id)})`;
}
