import { bundledSchemas } from '../../schema/bundle';
import { customSchemas } from '../../schema/crds';
import type { SchemaBundle } from '../../schema/model';
import { groupOf, kindKey } from '../../schema/model';
import { validateValue, type SchemaLookup } from '../../schema/validate';
import type { K8sObject, Path, Rule, RuleContext } from '../../types';
import { removedApi } from '../images/deprecated-apis';

export const SCHEMA_INVALID: Rule = {
  id: 'schema-invalid',
  group: 'meta',
  title: 'Manifests must match the Kubernetes API schema',
  severity: 'error',
  rationale:
    'The API server rejects a manifest with an unknown field, a wrong type or a missing required field, so a typo such as `securityContex` fails the deploy; with lenient validation the field is dropped silently and the control it was meant to set (a non-root user, a read-only root filesystem) is never applied.',
  remediation:
    'Correct the field name or type as the message says. The schema is that of the Kubernetes version in the `fintechK8s.kubernetesVersion` setting (or `kubernetesVersion` in .fintech-k8s.yaml); custom resources are checked against the CustomResourceDefinitions in the workspace.',
  references: { pci: ['6.2.4'], like: 'kubeconform -strict' },
  check(object, context) {
    const version = context.config.kubernetesVersion;
    const bundle = bundledSchemas(version);
    const key = kindKey(object.apiVersion, object.kind);
    const builtIn = bundle.kinds[key];
    // Manifests are read as YAML 1.2 here; ask about the source only for values YAML 1.1 reads otherwise.
    const options = { isPlain: (path: Path) => context.isPlainScalar?.([...object.path, ...path]) ?? false };
    if (builtIn) return reportIssues(object, context, validateValue(object.value, builtIn, lookupIn(bundle), builtIn, options));
    const custom = customSchemas(context.workspace).get(key);
    if (custom) return reportIssues(object, context, validateValue(object.value, custom.shape, lookupIn(bundle), object.kind, options));
    reportUnservedApi(object, context, bundle, version);
  },
};

const lookups = new WeakMap<SchemaBundle, SchemaLookup>();

/** The bundle's definitions in a Map, made once per bundle: every object of every file looks them up. */
function lookupIn(bundle: SchemaBundle): SchemaLookup {
  let lookup = lookups.get(bundle);
  if (!lookup) {
    const definitions = new Map(Object.entries(bundle.definitions));
    lookup = { definition: (name) => definitions.get(name) };
    lookups.set(bundle, lookup);
  }
  return lookup;
}

function reportIssues(object: K8sObject, context: RuleContext, issues: ReturnType<typeof validateValue>): void {
  for (const issue of issues) context.report({ path: [...object.path, ...issue.path], message: issue.message, keyOnly: issue.onKey });
}

/**
 * A built-in API group with a version or kind this Kubernetes does not serve. Versions removed by an
 * upgrade are deprecated-api-version's (it knows the replacement); other groups may be CRDs we cannot see.
 */
function reportUnservedApi(object: K8sObject, context: RuleContext, bundle: SchemaBundle, version: string): void {
  const group = groupOf(object.apiVersion);
  const servedForGroup = Object.keys(bundle.kinds).filter((key) => groupOf(key.slice(0, key.indexOf(' '))) === group);
  if (servedForGroup.length === 0 || removedApi(object.apiVersion, object.kind)) return;
  const sameKind = servedForGroup.filter((key) => key.endsWith(` ${object.kind}`)).map((key) => key.slice(0, key.indexOf(' ')));
  const message =
    sameKind.length > 0
      ? `Kubernetes ${version} does not serve ${object.kind} as ${object.apiVersion}: use ${sameKind.join(' or ')}.`
      : `Kubernetes ${version} has no kind ${object.kind} in ${group ? `the ${group} API group` : 'the core API group'}.`;
  context.report({ path: [...object.path, sameKind.length > 0 ? 'apiVersion' : 'kind'], message });
}
