import { DateTime } from 'luxon';
import type * as z from 'zod';
import type { customerLookupQuerySchema } from '#shared/api/staff-routes';
import { currentConsent } from '#shared/customers/golden-record';
import { normaliseEmail, normalisePhone, type CountryCode } from '#shared/customers/identity';
import { nextBestAction, type FreeSlot } from '#shared/customers/next-best-action';
import { assignBadges } from '#shared/customers/personas';
import { computeTraits, habitOf, type Traits } from '#shared/customers/traits';
import type { CustomerEvent } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';
import { personaThresholdsOf, type TenantConfig } from '#shared/domain/schemas';
import { resolveMailLocale } from '#shared/mail/locale';
import { getCountryCallingCode } from 'libphonenumber-js/min';
import { CustomerStore } from '#functions/adapters/customer-store';
import { searchableName, type VersionedProfile } from '#functions/adapters/entities/customer';
import { publicBooking, type StoredBooking } from '#functions/adapters/entities/booking';
import { getAvailability } from './bookings.ts';
import type { AppDeps } from './deps.ts';

/**
 * The caller card reception sees while on the phone. Traits and badges are recomputed from the
 * timeline at read time (the stored ones are as of the last booking change, and "days since the
 * last visit" moves every day), so the card is right today.
 */

const RECENT = 5;
const SLOT_SEARCH_DAYS = 14;

const customersOf = (deps: AppDeps) => new CustomerStore(deps.store.db, deps.store.tableName);
const notFound = () => new DomainError('customer_not_found', 'No customer with that phone number, e-mail or id.');


/** The next open slot with the customer's usual provider, on their usual weekday and time of day. */
async function usualFreeSlot(deps: AppDeps, config: TenantConfig, traits: Traits, events: readonly CustomerEvent[], now: number): Promise<FreeSlot | undefined> {
  const provider = config.providers.find((p) => p.id === traits.usualProviderId && p.active);
  if (!provider || !traits.usualWeekday || !traits.usualTimeOfDay) return undefined;
  const counts = new Map<string, number>();
  for (const event of events) if (event.type === 'booked' && event.serviceId) counts.set(event.serviceId, (counts.get(event.serviceId) ?? 0) + 1);
  const serviceId = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!serviceId) return undefined;
  const zone = config.tenant.timeZone;
  const from = DateTime.fromMillis(now, { zone });
  try {
    const { slots } = await getAvailability(deps, config.tenant.id, {
      serviceId,
      providerId: provider.id,
      from: from.toISODate()!,
      to: from.plus({ days: SLOT_SEARCH_DAYS }).toISODate()!,
      timeZone: zone,
    });
    const match = slots.find((slot) => {
      const habit = habitOf(Date.parse(slot.start), zone);
      return habit.weekday === traits.usualWeekday && habit.timeOfDay === traits.usualTimeOfDay;
    });
    return match ? { start: match.start, providerId: provider.id, providerName: provider.name } : undefined;
  } catch (error) {
    // The usual provider no longer offers the usual service: no offer, not an error for reception.
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}

/**
 * What staff need to decide whether a probable match is the same person: who the other customer is
 * now (one merged away meanwhile is shown as the customer it went into, unless that is this one).
 */
async function probableMatchCards(customers: CustomerStore, tenantId: string, customerId: string, ids: readonly string[]) {
  const profiles = await Promise.all(ids.map((id) => customers.currentProfile(tenantId, id)));
  const seen = new Set<string>([customerId]);
  return profiles.flatMap((profile) => {
    if (!profile || seen.has(profile.record.customerId)) return [];
    seen.add(profile.record.customerId);
    const { record, traits } = profile;
    return [
      {
        id: record.customerId,
        ...(record.name ? { name: record.name.value } : {}),
        emails: record.emails.map((e) => e.value),
        phones: record.phones.map((p) => p.value),
        ...(typeof traits?.bookings === 'number' ? { bookings: traits.bookings } : {}),
      },
    ];
  });
}

/**
 * The card of a customer id: a customer merged into another (decision 66) answers with the one it
 * was merged into, whose id the card carries, so an old link or a stored id keeps working.
 */
export async function customerCard(deps: AppDeps, tenantId: string, requestedId: string, options: { timeline?: boolean } = {}) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const customers = customersOf(deps);
  const profile = await customers.currentProfile(tenantId, requestedId);
  if (!profile) throw notFound();
  const customerId = profile.record.customerId;
  const [events, probableMatches, merges] = await Promise.all([
    customers.listEvents(tenantId, customerId),
    probableMatchCards(customers, tenantId, customerId, profile.probableMatches ?? []),
    customers.listMerges(tenantId, customerId),
  ]);
  const zone = config.tenant.timeZone;
  const locale = resolveMailLocale(undefined, config.tenant.locale);
  const traits = computeTraits(events, now, zone);
  const badges = assignBadges(traits, personaThresholdsOf(config.tenant), locale);

  const bookingIds = [...new Set(events.map((e) => e.bookingId).filter((id): id is string => id !== undefined))];
  const bookings = (await Promise.all(bookingIds.map((id) => deps.store.getBooking(id)))).filter((b): b is StoredBooking => b?.tenantId === tenantId);
  const upcoming = bookings.filter((b) => b.status === 'confirmed' && Date.parse(b.start) > now).sort((a, b) => a.start.localeCompare(b.start));
  const recent = bookings.filter((b) => Date.parse(b.start) <= now).sort((a, b) => b.start.localeCompare(a.start)).slice(0, RECENT);
  const marketing = currentConsent(profile.record, 'marketing', 'email');
  const freeUsualSlot = upcoming.length === 0 ? await usualFreeSlot(deps, config, traits, events, now) : undefined;
  const action = nextBestAction({ traits, badges, consent: { marketing }, upcoming: upcoming.length > 0, freeUsualSlot, locale, zone, thresholds: personaThresholdsOf(config.tenant) });
  const record = profile.record;
  return {
    customer: {
      id: record.customerId,
      ...(record.name ? { name: record.name.value } : {}),
      emails: record.emails.map((e) => e.value),
      phones: record.phones.map((p) => p.value),
      ...(record.locale ? { locale: record.locale.value } : {}),
      ...(record.timeZone ? { timeZone: record.timeZone.value } : {}),
      consent: { marketing, reviews: currentConsent(record, 'reviews', 'email') },
      probableMatches,
      merges: merges
        .filter((m) => !m.undoneAt)
        .sort((a, b) => b.mergedAt.localeCompare(a.mergedAt))
        .map((m) => ({ customerId: m.mergedCustomerId, mergedAt: m.mergedAt })),
    },
    traits: traits as unknown as Record<string, unknown>,
    badges,
    upcoming: upcoming.map(publicBooking),
    recent: recent.map(publicBooking),
    ...(action ? { nextBestAction: action } : {}),
    ...(options.timeline ? { timeline: events as unknown as Array<Record<string, unknown>> } : {}),
  };
}

/** Finds the caller by phone (any format; national numbers read with the tenant's country) or e-mail. */
export async function lookupCustomer(deps: AppDeps, tenantId: string, query: z.output<typeof customerLookupQuerySchema>) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  const customers = customersOf(deps);
  let customerId: string | undefined;
  if (query.email !== undefined) {
    const email = normaliseEmail(query.email);
    if (!email) throw new DomainError('invalid_request', 'query.email: not an e-mail address', { field: 'query.email' });
    customerId = await customers.getIdentity(tenantId, 'email', email);
  } else {
    const phone = normalisePhone(query.phone, config.tenant.country as CountryCode | undefined);
    if (!phone) throw new DomainError('invalid_request', 'query.phone: not a phone number', { field: 'query.phone' });
    customerId = await customers.getIdentity(tenantId, 'phone', phone);
  }
  if (!customerId) throw notFound();
  return customerCard(deps, tenantId, customerId);
}

const SUGGESTION_DAYS = 28;
const SUGGESTIONS = 5;

/**
 * "Book again" for the holder of a manage token: the customer's usual provider, weekday and time
 * of day (from their timeline; from this booking when there is no history yet), and the next open
 * slots with that provider — those matching the habit first. Details come back for pre-filling.
 */
export async function rebookSuggestions(deps: AppDeps, booking: StoredBooking) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(booking.tenantId, now);
  const zone = booking.customer.timeZone ?? config.tenant.timeZone;
  const customers = customersOf(deps);
  const email = normaliseEmail(booking.customer.email);
  const customerId = email ? await customers.getIdentity(booking.tenantId, 'email', email) : undefined;
  const events = customerId ? await customers.listEvents(booking.tenantId, customerId) : [];
  const traits = events.length > 0 ? computeTraits(events, now, config.tenant.timeZone) : undefined;
  const fromHistory = traits?.usualProviderId !== undefined && traits.visits > 0;
  const usual = fromHistory
    ? { weekday: traits!.usualWeekday, timeOfDay: traits!.usualTimeOfDay, basis: 'history' as const }
    : { ...habitOf(Date.parse(booking.start), config.tenant.timeZone), basis: 'this_booking' as const };
  const providerId = (fromHistory ? traits!.usualProviderId : undefined) ?? booking.providerId;
  const provider = config.providers.find((p) => p.id === providerId && p.active) ?? config.providers.find((p) => p.id === booking.providerId);
  if (!provider) throw new DomainError('unknown_provider', 'The provider of this booking no longer takes bookings.');
  const from = DateTime.fromMillis(now, { zone });
  const { slots } = await getAvailability(deps, booking.tenantId, {
    serviceId: booking.serviceId,
    providerId: provider.id,
    from: from.toISODate()!,
    to: from.plus({ days: SUGGESTION_DAYS }).toISODate()!,
    timeZone: zone,
  });
  const matches = (start: string) => {
    const habit = habitOf(Date.parse(start), config.tenant.timeZone);
    return (usual.weekday === undefined || habit.weekday === usual.weekday) && (usual.timeOfDay === undefined || habit.timeOfDay === usual.timeOfDay);
  };
  const ranked = slots.map((slot) => ({ start: slot.start, end: slot.end, matchesUsual: matches(slot.start) }));
  const picked = [...ranked.filter((s) => s.matchesUsual), ...ranked.filter((s) => !s.matchesUsual)].slice(0, SUGGESTIONS);
  const c = booking.customer;
  return {
    serviceId: booking.serviceId,
    providerId: provider.id,
    providerName: provider.name,
    timeZone: zone,
    usual: { ...(usual.weekday ? { weekday: usual.weekday } : {}), ...(usual.timeOfDay ? { timeOfDay: usual.timeOfDay } : {}), basis: usual.basis },
    slots: picked,
    customer: { name: c.name, email: c.email, ...(c.phone ? { phone: c.phone } : {}), ...(c.locale ? { locale: c.locale } : {}), ...(c.timeZone ? { timeZone: c.timeZone } : {}) },
  };
}

const SEARCH_LIMIT = 20;

/** What a search term can be the beginning of: an e-mail, an E.164 number (typed any way), or a name. */
export function searchPrefixes(q: string, country: CountryCode | undefined): Array<{ kind: 'email' | 'phone' | 'name'; prefix: string }> {
  const term = q.trim();
  if (term.includes('@')) return [{ kind: 'email', prefix: term.toLowerCase() }];
  if (/^[+\d][\d\s()./-]*$/.test(term)) {
    const digits = term.replace(/[^\d]/g, '');
    if (term.startsWith('+')) return [{ kind: 'phone', prefix: `+${digits}` }];
    if (digits.startsWith('00')) return [{ kind: 'phone', prefix: `+${digits.slice(2)}` }];
    // A national number: the tenant's country code instead of the trunk prefix 0.
    if (digits.startsWith('0') && country) return [{ kind: 'phone', prefix: `+${getCountryCallingCode(country)}${digits.slice(1)}` }];
    return [{ kind: 'phone', prefix: `+${digits}` }];
  }
  return [
    { kind: 'name', prefix: searchableName(term) },
    { kind: 'email', prefix: term.toLowerCase() },
  ];
}

export async function searchCustomers(deps: AppDeps, tenantId: string, q: string) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  const customers = customersOf(deps);
  const prefixes = searchPrefixes(q, config.tenant.country as CountryCode | undefined);
  const ids = [...new Set((await Promise.all(prefixes.map((p) => customers.searchIds(tenantId, p.kind, p.prefix, SEARCH_LIMIT)))).flat())].slice(0, SEARCH_LIMIT);
  const profiles = await Promise.all(ids.map((id) => customers.getProfile(tenantId, id)));
  return {
    customers: profiles
      // A customer merged into another is found as that one (its e-mails and phones point there).
      .filter((p): p is VersionedProfile => p !== undefined && !p.mergedInto)
      .map(({ record }) => ({
        id: record.customerId,
        ...(record.name ? { name: record.name.value } : {}),
        emails: record.emails.map((e) => e.value),
        phones: record.phones.map((p) => p.value),
      })),
  };
}
