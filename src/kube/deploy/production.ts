// Which kubeconfig contexts count as production (deploying there needs a modal confirmation naming the context).

export interface ProductionCheck {
  production: boolean;
  /** Set when the user's pattern is not a valid regular expression; the context is then treated as production. */
  patternError?: string;
}

/** Case-insensitive regular expression search of the context name. An invalid pattern fails safe: production. */
/** The pattern is fintechK8s.productionContextPattern (its default is in package.json). */
export function checkProductionContext(contextName: string, pattern: string): ProductionCheck {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'i');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      production: true,
      patternError: `fintechK8s.productionContextPattern is not a valid regular expression (${reason}); every context is treated as production.`,
    };
  }
  return { production: regex.test(contextName) };
}
