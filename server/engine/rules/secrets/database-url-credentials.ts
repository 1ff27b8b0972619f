import type { Rule } from '../../types';
import { CONNECTION_KINDS } from './detect';
import { configMapFindings, envFindings } from './shared';

export const databaseUrlCredentials: Rule = {
  id: 'database-url-credentials',
  group: 'secrets',
  title: 'Connection URLs must not embed a password',
  severity: 'error',
  rationale:
    'A `postgres://user:password@host` URL in a manifest hands the ledger database to anyone who can read the repository, and it leaks again in every log line, error message and metrics label that prints the URL.',
  remediation:
    'Keep the password out of the URL: read it from a mounted Secret file, or compose the URL at run time from a secret env var (`postgres://ledger:$(DB_PASSWORD)@ledger-db:5432/ledger`), and rotate the exposed password.',
  references: { pci: ['8.6.2'] },
  check(object, context) {
    for (const { container, name, path, finding } of envFindings(object)) {
      if (!CONNECTION_KINDS.has(finding.kind)) continue;
      context.report({ path, message: `${container.label}: env var "${name}" holds ${finding.what}: ${finding.masked}.` });
    }
    for (const { key, path, findings } of configMapFindings(object)) {
      const urls = findings.filter((f) => CONNECTION_KINDS.has(f.kind));
      if (urls.length === 0) continue;
      context.report({
        path,
        message: `ConfigMap key "${key}" holds ${urls.length === 1 ? urls[0].what : 'connection strings with embedded passwords'}: ${urls.map((f) => f.masked).join(', ')}.`,
      });
    }
  },
};
