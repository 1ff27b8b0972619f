export interface RedactorOptions {
  /** Luhn-valid card numbers (PAN) masked to their last four digits. Default true. */
  cards?: boolean;
  /** Bearer tokens, password/secret/token/api-key pairs, PEM private keys, AWS access keys, JWTs, URL passwords. Default true. */
  secrets?: boolean;
  /** 12–24 consecutive BIP-39 English words. Default true. */
  seedPhrases?: boolean;
  /** What a secret value becomes. Default `***`. */
  mask?: string;
}
/**
 * Masks one log line. Stateful across lines of ONE stream (a PEM private key spans several lines), so
 * create one redactor per stream.
 */
export type Redactor = (line: string) => string;
export declare function createRedactor(options?: RedactorOptions): Redactor;
export declare function luhnValid(digits: string): boolean;
export declare function redactCardNumbers(line: string): string;
export declare function redactSeedPhrases(line: string): string;
