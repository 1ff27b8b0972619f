// One shape for the five "container declares no request/limit" rules: only the resource, the kind
// (request or limit), the words and the placeholder differ.
import { containersOf, getIn, podSpecOf, type ContainerAt } from '../../objects';
import type { Rule, RuleMeta } from '../../types';
import { hasAmount, limitRangeDefaults, namespaceOf, parseQuantity, type ResourceKind } from './workloads';

export interface ResourceAmountSpec extends Omit<RuleMeta, 'group'> {
  kind: ResourceKind;
  resource: 'cpu' | 'memory' | 'ephemeral-storage';
  /** For messages: 'CPU request'. */
  noun: string;
  /** What goes wrong without it, appended to the message. */
  consequence: string;
  placeholder: string;
  /**
   * How a limit placeholder relates to an existing request: 'equal' copies the request (memory: a
   * limit above the request invites OOM kills under node pressure), 'at-least' never goes below it
   * (a limit under the request is rejected by the API server).
   */
  limitFromRequest?: 'equal' | 'at-least';
}

/** Pod-level resources (spec.resources) bound cpu and memory for the whole pod. */
const POD_LEVEL_RESOURCES = new Set(['cpu', 'memory']);

export function resourceAmountRule(spec: ResourceAmountSpec): Rule {
  const { kind, resource, noun, consequence, placeholder, limitFromRequest, ...meta } = spec;

  const satisfied = (resources: unknown): boolean =>
    // The API server copies a limit into a missing request, so a limit alone also sets the request.
    hasAmount(resources, kind, resource) || (kind === 'requests' && hasAmount(resources, 'limits', resource));

  const placeholderFor = (container: ContainerAt): unknown => {
    if (kind !== 'limits' || !limitFromRequest) return placeholder;
    const request = getIn(container.container, ['resources', 'requests', resource]);
    if (request === undefined || request === null || request === '') return placeholder;
    if (limitFromRequest === 'equal') return request;
    const requested = parseQuantity(request);
    const proposed = parseQuantity(placeholder);
    return requested !== undefined && proposed !== undefined && requested > proposed ? request : placeholder;
  };

  return {
    ...meta,
    group: 'resources',
    check(object, context) {
      const pod = podSpecOf(object);
      if (!pod) return;
      let namespaceDefaults: ReturnType<typeof limitRangeDefaults> | undefined;
      for (const container of containersOf(pod)) {
        // Ephemeral containers cannot declare resources.
        if (container.list === 'ephemeralContainers') continue;
        if (satisfied(container.container.resources)) continue;
        if (POD_LEVEL_RESOURCES.has(resource) && satisfied(pod.spec.resources)) continue;
        namespaceDefaults ??= limitRangeDefaults(namespaceOf(object), context.workspace);
        if (namespaceDefaults[kind].has(resource)) continue;
        const path = [...container.path, 'resources', kind, resource];
        const value = placeholderFor(container);
        context.report({
          path,
          message: `${container.label} has no ${noun}: ${consequence}`,
          fix: {
            title: `Set resources.${kind}.${resource}: ${String(value)} (placeholder: adjust to measured usage)`,
            ops: [{ op: 'set', path, value }],
          },
        });
      }
    },
  };
}
