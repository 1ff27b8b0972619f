import type { Template } from './template-file';
export declare function readTemplates(snippetsDirectory: string): Promise<Template[]>;
/** A Kubernetes object name (RFC 1123 label), as the API server will insist. */
export declare function validateObjectName(value: string): string | undefined;
