// Messages that name what a finding depends on stay short however large the workspace: the first few
// names, then a count. One Service selecting 400 workloads must not write 400 names into each finding.

/** How many names a message lists before "and N more". */
export const LISTED_IN_MESSAGE = 5;

/** `a, b, c, d, e and 7 more`; `a, b and c` when all fit. */
export function listSome(items: readonly string[], max = LISTED_IN_MESSAGE): string {
  if (items.length <= max) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** How many related locations one finding carries at most (the message gives the total). */
export const RELATED_PER_FINDING = 10;
