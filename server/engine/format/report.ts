// The compliance report an auditor is shown: findings grouped by PCI DSS v4.0 requirement, Pod Security
// level, CIS control and NSA/CISA section, with counts per severity, suppressed findings (and why) apart.
// Pure data: report-markdown.ts and report-html.ts render it.
import { ruleDocsUrl } from '../docs-url';
import type { FileResult, Finding, RuleMeta, Severity, Suppression } from '../types';
import { SEVERITY_RANK } from '../types';
import { qualifiedName } from './object-name';

export type SeverityCounts = Record<Severity, number>;

export interface ReportFinding {
  ruleId: string;
  ruleTitle: string;
  severity: Severity;
  message: string;
  /** `Kind/namespace/name`. */
  object: string;
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  docsUrl: string;
}

export interface SuppressedReportFinding extends ReportFinding {
  suppressed: Suppression;
}

export interface ReportRule {
  id: string;
  title: string;
  severity: Severity;
  docsUrl: string;
}

export interface ReportGroup {
  /** The requirement, level, control or section, e.g. `1.3.1`, `restricted`, `5.2.7`. */
  id: string;
  /** Open findings, most severe first, then by file and line. */
  findings: ReportFinding[];
  counts: SeverityCounts;
  /** Rules mapped to this group that have at least one open finding. */
  failedRules: ReportRule[];
  /** Rules mapped to this group with no finding at all (open or suppressed). */
  passedRules: ReportRule[];
  /** Rules mapped to this group whose only findings are suppressed. */
  suppressedRules: ReportRule[];
  /** Suppressed findings of rules mapped here; listed, never counted. */
  suppressedCount: number;
}

export interface ScannedFile {
  file: string;
  objects: string[];
  /** Why (part of) the file could not be analysed. */
  problems: { code: string; message: string; line: number }[];
}

export interface ComplianceReport {
  totals: {
    files: number;
    objects: number;
    filesNotAnalysed: number;
    open: SeverityCounts;
    openTotal: number;
    suppressed: number;
    rulesChecked: number;
  };
  scope: ScannedFile[];
  pci: ReportGroup[];
  /** Open findings of rules mapped to no PCI DSS requirement. */
  pciUnmapped: ReportGroup;
  podSecurity: ReportGroup[];
  cis: ReportGroup[];
  nsa: ReportGroup[];
  suppressed: SuppressedReportFinding[];
}

/** Numeric-aware order of requirement ids: 1.2.5 < 1.3.1 < 10.2.1; non-numeric parts compare as text. */
export function compareRequirements(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]) ? Number(pa[i]) : NaN;
    const nb = /^\d+$/.test(pb[i]) ? Number(pb[i]) : NaN;
    if (!Number.isNaN(na) && !Number.isNaN(nb)) {
      if (na !== nb) return na - nb;
    } else if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

const zeroCounts = (): SeverityCounts => ({ error: 0, warning: 0, info: 0 });

/**
 * Builds the report from the scan results and the rules that were run (leave out rules turned off, so they
 * are not shown as passed). A finding of a rule mapped to several groups appears under each.
 */
export function buildReport(results: readonly FileResult[], rules: readonly RuleMeta[]): ComplianceReport {
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const open: { finding: ReportFinding; rule: RuleMeta | undefined }[] = [];
  const suppressed: { finding: SuppressedReportFinding; rule: RuleMeta | undefined }[] = [];
  const totals = { files: 0, objects: 0, filesNotAnalysed: 0, open: zeroCounts(), openTotal: 0, suppressed: 0, rulesChecked: rules.length };
  const scope: ScannedFile[] = [];

  for (const result of results) {
    totals.files++;
    totals.objects += result.objects.length;
    if (result.problems.some((p) => p.severity === 'error')) totals.filesNotAnalysed++;
    scope.push({
      file: result.file,
      objects: result.objects.map(qualifiedName),
      problems: result.problems.map((p) => ({ code: p.code, message: p.message, line: p.range.start.line + 1 })),
    });
    for (const finding of result.findings) {
      const rule = rulesById.get(finding.ruleId);
      const entry = toReportFinding(finding, rule);
      if (finding.suppressed) {
        totals.suppressed++;
        suppressed.push({ finding: { ...entry, suppressed: { ...finding.suppressed } }, rule });
      } else {
        totals.open[finding.severity]++;
        totals.openTotal++;
        open.push({ finding: entry, rule });
      }
    }
  }

  const group = (
    keysOf: (rule: RuleMeta) => readonly string[],
    order: (a: string, b: string) => number,
    always: readonly string[] = [],
  ): ReportGroup[] => {
    const ids = new Set<string>(always);
    for (const rule of rules) for (const key of keysOf(rule)) ids.add(key);
    return [...ids].sort(order).map((id) => makeGroup(id, (rule) => rule !== undefined && keysOf(rule).includes(id)));
  };

  const makeGroup = (id: string, mapped: (rule: RuleMeta | undefined) => boolean): ReportGroup => {
    const findings = open.filter((o) => mapped(o.rule)).map((o) => o.finding);
    findings.sort(compareFindings);
    const counts = zeroCounts();
    for (const finding of findings) counts[finding.severity]++;
    const groupRules = rules.filter((rule) => mapped(rule));
    const withOpen = new Set(findings.map((f) => f.ruleId));
    const withSuppressed = new Set(suppressed.filter((s) => mapped(s.rule)).map((s) => s.finding.ruleId));
    return {
      id,
      findings,
      counts,
      failedRules: groupRules.filter((rule) => withOpen.has(rule.id)).map(reportRule),
      passedRules: groupRules.filter((rule) => !withOpen.has(rule.id) && !withSuppressed.has(rule.id)).map(reportRule),
      suppressedRules: groupRules.filter((rule) => !withOpen.has(rule.id) && withSuppressed.has(rule.id)).map(reportRule),
      suppressedCount: suppressed.filter((s) => mapped(s.rule)).length,
    };
  };

  const alphabetical = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const levels = ['baseline', 'restricted'];
  return {
    totals,
    scope,
    pci: group((rule) => rule.references.pci, compareRequirements),
    // Findings of unknown rules land here too: nothing is left out of the report.
    pciUnmapped: makeGroup('unmapped', (rule) => rule === undefined || rule.references.pci.length === 0),
    podSecurity: group(
      (rule) => (rule.references.pss ? [rule.references.pss] : []),
      (a, b) => levels.indexOf(a) - levels.indexOf(b),
      levels,
    ),
    cis: group((rule) => rule.references.cis ?? [], compareRequirements),
    nsa: group((rule) => rule.references.nsa ?? [], alphabetical),
    suppressed: suppressed.map((s) => s.finding).sort(compareFindings),
  };
}

function toReportFinding(finding: Finding, rule: RuleMeta | undefined): ReportFinding {
  return {
    ruleId: finding.ruleId,
    ruleTitle: rule?.title ?? finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    object: qualifiedName(finding.object),
    file: finding.file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    docsUrl: ruleDocsUrl(finding.ruleId),
  };
}

function reportRule(rule: RuleMeta): ReportRule {
  return { id: rule.id, title: rule.title, severity: rule.severity, docsUrl: ruleDocsUrl(rule.id) };
}

function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
