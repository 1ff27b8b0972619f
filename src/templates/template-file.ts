// A manifest template: a YAML file in snippet syntax with a short header, the one source of both the
// editor snippets (snippets/*.code-snippets, generated) and "New Manifest from Template…".
//
//   # prefix: fk-payment-api
//   # title: Payment API (Deployment + Service)
//   # description: One line on what it is for.
//   apiVersion: apps/v1
//   ...      ${1:payments-api} is the name, ${2:payments} the namespace; other tab stops from 3.

export interface Template {
  /** payments | blockchain: the snippet file and the quick pick group. */
  group: string;
  prefix: string;
  title: string;
  description: string;
  /** Snippet body (snippet syntax), without the header. */
  body: string;
}

const HEADER = /^# (prefix|title|description): (.*)$/;

export function parseTemplate(group: string, text: string): Template {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const header: Record<string, string> = {};
  let first = 0;
  while (first < lines.length && HEADER.test(lines[first])) {
    const [, key, value] = HEADER.exec(lines[first])!;
    header[key] = value.trim();
    first++;
  }
  for (const key of ['prefix', 'title', 'description']) {
    if (!header[key]) throw new Error(`template is missing its "# ${key}: …" header line`);
  }
  return {
    group,
    prefix: header.prefix,
    title: header.title,
    description: header.description,
    body: lines.slice(first).join('\n').replace(/\n+$/, '\n'),
  };
}

/** The `.code-snippets` JSON for a group's templates. */
export function toSnippetFile(
  templates: readonly Template[],
): Record<string, { prefix: string; description: string; body: string[]; scope: string }> {
  const file: Record<string, { prefix: string; description: string; body: string[]; scope: string }> = {};
  for (const template of templates) {
    file[template.title] = {
      scope: 'yaml',
      prefix: template.prefix,
      description: template.description,
      body: template.body.replace(/\n$/, '').split('\n'),
    };
  }
  return file;
}
