// Which kubeconfig contexts count as production (deploying there needs a modal confirmation naming the context).

export const DEFAULT_PRODUCTION_PATTERN = 'prod|prd|live';

export interface ProductionCheck {
  production: boolean;
  /** Set when the user's pattern is not a valid regular expression; the context is then treated as production. */
  patternError?: string;
}

/** Case-insensitive regular expression search of the context name. An invalid pattern fails safe: production. */
export function checkProductionContext(contextName: string, pattern: string = DEFAULT_PRODUCTION_PATTERN): ProductionCheck {
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

export function isProductionContext(contextName: string, pattern: string = DEFAULT_PRODUCTION_PATTERN): boolean {
  return checkProductionContext(contextName, pattern).production;
}
