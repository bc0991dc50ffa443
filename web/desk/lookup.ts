/** What reception typed: a phone number, an e-mail, or else (the beginning of) a name. */

/** Digits and phone punctuation only, five digits at least: a phone number rather than a name. */
export const looksLikePhone = (text: string) => /^[+(]?[\d\s()./-]+$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 5;
export const looksLikeEmail = (text: string) => /^[^\s@]+@[^\s@]+$/.test(text);
