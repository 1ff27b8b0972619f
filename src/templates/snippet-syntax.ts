// VS Code snippet syntax, the part our templates use: $1, ${1:default}, ${1|a,b|}, $0 and \$ escapes.
// Pure (no vscode import): the "New Manifest from Template" command, the snippet generator and the
// tests all expand templates with it.

export type SnippetPart = { text: string } | { tabstop: number; defaultText: string; choices?: string[] };

export class SnippetSyntaxError extends Error {}

/** Parses a snippet body; throws SnippetSyntaxError at the first malformed placeholder. */
export function parseSnippet(body: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let text = '';
  let i = 0;
  const flush = () => {
    if (text) parts.push({ text });
    text = '';
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '\\' && (body[i + 1] === '$' || body[i + 1] === '\\' || body[i + 1] === '}')) {
      text += body[i + 1];
      i += 2;
    } else if (c === '$' && /[0-9]/.test(body[i + 1] ?? '')) {
      const match = /^\$(\d+)/.exec(body.slice(i))!;
      flush();
      parts.push({ tabstop: Number(match[1]), defaultText: '' });
      i += match[0].length;
    } else if (c === '$' && body[i + 1] === '{') {
      const match = /^\$\{(\d+)(?::((?:\\.|[^\\}$])*)|\|((?:\\.|[^\\|])*)\|)?\}/.exec(body.slice(i));
      if (!match) throw new SnippetSyntaxError(`malformed placeholder at offset ${i}: ${body.slice(i, i + 30)}`);
      flush();
      const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
      if (match[3] !== undefined) {
        const choices = match[3].split(/(?<!\\),/).map(unescape);
        if (choices.length < 2 || choices.some((choice) => choice === ''))
          throw new SnippetSyntaxError(`choice placeholder needs two or more options at offset ${i}`);
        parts.push({ tabstop: Number(match[1]), defaultText: choices[0], choices });
      } else {
        parts.push({ tabstop: Number(match[1]), defaultText: unescape(match[2] ?? '') });
      }
      i += match[0].length;
    } else if (c === '$') {
      throw new SnippetSyntaxError(`unescaped $ at offset ${i} (write \\$ for a literal dollar): ${body.slice(i, i + 30)}`);
    } else {
      text += c;
      i++;
    }
  }
  flush();
  return parts;
}

/**
 * Expands a snippet as accepting every default would: each tab stop takes its first default in the body
 * (mirrors repeat it), unless `values` gives a text for that tab stop.
 */
export function expandSnippet(body: string, values: Record<number, string> = {}): string {
  const parts = parseSnippet(body);
  const chosen = new Map<number, string>();
  for (const part of parts) {
    if ('tabstop' in part && !chosen.has(part.tabstop) && part.defaultText !== '') chosen.set(part.tabstop, part.defaultText);
  }
  for (const [tabstop, value] of Object.entries(values)) chosen.set(Number(tabstop), value);
  return parts.map((part) => ('text' in part ? part.text : (chosen.get(part.tabstop) ?? ''))).join('');
}

/** Replaces the given tab stops by literal text and keeps the others as placeholders (for insertSnippet). */
export function fillTabstops(body: string, values: Record<number, string>): string {
  const escape = (text: string) => text.replace(/[\\$}]/g, (c) => `\\${c}`);
  return parseSnippet(body)
    .map((part) => {
      if ('text' in part) return escape(part.text);
      if (part.tabstop in values) return escape(values[part.tabstop]);
      if (part.choices) return `\${${part.tabstop}|${part.choices.map((c) => c.replace(/[\\,|]/g, (x) => `\\${x}`)).join(',')}|}`;
      return part.defaultText ? `\${${part.tabstop}:${escape(part.defaultText)}}` : `$${part.tabstop}`;
    })
    .join('');
}

/** The default text of a tab stop (its first non-empty default), if any. */
export function defaultOf(body: string, tabstop: number): string | undefined {
  for (const part of parseSnippet(body)) if ('tabstop' in part && part.tabstop === tabstop && part.defaultText) return part.defaultText;
  return undefined;
}
