import type { Rule } from '../../types';
import { isGenericCredential } from './detect';
import { envFindings } from './shared';

export const secretLiteralInEnv: Rule = {
  id: 'secret-literal-in-env',
  group: 'secrets',
  title: 'Credentials must not be written as literal env values',
  severity: 'error',
  rationale:
    'A password, token or key typed into a manifest lives forever in Git history, CI logs and `kubectl get -o yaml` output, readable by everyone who can read the repository or the Deployment, far beyond the people who should hold a production credential.',
  remediation:
    'Move the value into a Secret (ideally synced from a secret store such as Vault or AWS Secrets Manager), mount it as a file and point the application at the file (`DB_PASSWORD_FILE`), then rotate the exposed credential.',
  references: { pci: ['8.6.2'], like: 'kube-linter env-var-secret' },
  check(object, context) {
    for (const { container, name, path, finding } of envFindings(object)) {
      // Connection strings, card numbers and key material have rules of their own.
      if (!isGenericCredential(finding)) continue;
      context.report({ path, message: `${container.label}: env var "${name}" holds ${finding.what} (${finding.masked}) in plain text.` });
    }
  },
};
