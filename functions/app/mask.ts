/**
 * `a***@example.com`: what a page or answer opened by a link shows of the customer's address —
 * enough for them to recognise it, not enough for whoever got the link forwarded to learn it.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}
