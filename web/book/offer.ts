/**
 * What the waitlist offer page (waitlist.tsx) reads from its link: the offer token
 * (`<provider>.<epoch seconds>.<mac>`, functions/adapters/links.ts) and the business and service
 * named in the query. Pure, so the e2e tier's module tests check it without a browser.
 */

/** Provider and start of an offer token, or undefined when it is not shaped like one. */
export function offerOf(token: string): { providerId: string; start: string } | undefined {
  const [providerId, seconds, mac, ...rest] = token.split('.');
  if (!providerId || !seconds || !mac || rest.length > 0 || !/^\d{1,12}$/.test(seconds)) return undefined;
  return { providerId, start: new Date(Number(seconds) * 1000).toISOString() };
}

/**
 * The service and the person an offer is with, by name, when the link says which business and
 * service (`?tenant=&service=`, not secret) and the public tenant still lists them; else nothing,
 * and the page says the e-mail names them.
 */
export function offerNames(
  tenant: { services: Array<{ id: string; name: string }>; providers: Array<{ id: string; name: string }> } | undefined,
  serviceId: string | null,
  providerId: string | undefined,
): { service: string; provider: string } | undefined {
  const service = tenant?.services.find((s) => s.id === serviceId)?.name;
  const provider = tenant?.providers.find((p) => p.id === providerId)?.name;
  return service && provider ? { service, provider } : undefined;
}
