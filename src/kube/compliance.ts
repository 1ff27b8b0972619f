// The explorer's compliance badge: a live object becomes manifest text for the language server's
// `fintechK8s/analyze` request (the same engine as the editor), and its findings become a badge.
import { stringify } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';

export type BadgeSeverity = 'error' | 'warning' | 'info';

export interface ComplianceBadge {
  worst: BadgeSeverity | 'ok';
  errors: number;
  warnings: number;
  infos: number;
  /** Short text for the tree item's description: `✓`, `2 errors, 1 warning`. */
  label: string;
}

/** YAML for AnalyzeRequest. Pass an object from getLiveObject (already stripped of status and managed fields). */
export function liveObjectManifest(object: KubernetesObject): string {
  return stringify(object, { lineWidth: 0 });
}

/** A URI for AnalyzeParams that names the live object (the server uses it to find settings; it is never opened). */
export function liveObjectUri(context: string, object: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  const parts = [context, object.metadata?.namespace ?? '_cluster', object.kind ?? 'Object', `${object.metadata?.name ?? 'unnamed'}.yaml`];
  return `fintech-k8s-live:/${parts.map(encodeURIComponent).join('/')}`;
}

/** Counts unsuppressed findings; suppressed ones (with a reason) do not colour the badge. */
export function complianceBadge(findings: { severity: BadgeSeverity; suppressed?: unknown }[]): ComplianceBadge {
  const active = findings.filter((f) => !f.suppressed);
  const count = (severity: BadgeSeverity) => active.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const worst = errors ? 'error' : warnings ? 'warning' : infos ? 'info' : 'ok';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning'), infos && plural(infos, 'info')].filter(
    Boolean,
  );
  return { worst, errors, warnings, infos, label: parts.length ? parts.join(', ') : '✓' };
}
