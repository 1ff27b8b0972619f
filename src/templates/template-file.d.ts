export interface Template {
  /** payments | blockchain: the snippet file and the quick pick group. */
  group: string;
  prefix: string;
  title: string;
  description: string;
  /** Snippet body (snippet syntax), without the header. */
  body: string;
}
export declare function parseTemplate(group: string, text: string): Template;
/** The `.code-snippets` JSON for a group's templates. */
export declare function toSnippetFile(templates: readonly Template[]): Record<
  string,
  {
    prefix: string;
    description: string;
    body: string[];
    scope: string;
  }
>;
