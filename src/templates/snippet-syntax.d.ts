export type SnippetPart =
  | {
      text: string;
    }
  | {
      tabstop: number;
      defaultText: string;
      choices?: string[];
    };
export declare class SnippetSyntaxError extends Error {}
/** Parses a snippet body; throws SnippetSyntaxError at the first malformed placeholder. */
export declare function parseSnippet(body: string): SnippetPart[];
/**
 * Expands a snippet as accepting every default would: each tab stop takes its first default in the body
 * (mirrors repeat it), unless `values` gives a text for that tab stop.
 */
export declare function expandSnippet(body: string, values?: Record<number, string>): string;
/** Replaces the given tab stops by literal text and keeps the others as placeholders (for insertSnippet). */
export declare function fillTabstops(body: string, values: Record<number, string>): string;
/** The default text of a tab stop (its first non-empty default), if any. */
export declare function defaultOf(body: string, tabstop: number): string | undefined;
