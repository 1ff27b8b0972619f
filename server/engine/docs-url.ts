// Where a rule's documentation lives: used by hovers, diagnostic links and SARIF helpUri.
export const PROJECT_URL = 'https://github.com/fintech-k8s/fintech-k8s';

export function ruleDocsUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/docs/rules/${ruleId}.md`;
}
