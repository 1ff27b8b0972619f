// Card numbers (PANs), as both the rule engine (secrets in manifests) and the log redactor (src/kube) find
// them. A leaf module: it imports nothing, so either side may use it without reaching into the other.

/** The Luhn check digit holds. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes no card scheme uses but timestamps and padded ids do: a leading 0 (padded ids), a
 * leading 1 except UATP's 15 digits (epoch milliseconds, microseconds), and 20/21 (compact dates such as
 * 20260501120000). Everything else (2221–2720 Mastercard, 2200–2204 Mir, 3x, 4x, 5x, 6x, and national
 * schemes on 8x/9x) stays in.
 */
export function plausibleIssuer(digits: string): boolean {
  const first = digits.charCodeAt(0);
  if (first === 48) return false;
  if (first === 49) return digits.length === 15;
  if (first === 50) {
    const second = digits.charCodeAt(1);
    return second !== 48 && second !== 49;
  }
  return true;
}

/** 13 to 19 digits from a plausible issuer with a valid check digit. */
export function looksLikePan(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && plausibleIssuer(digits) && luhnValid(digits);
}
