import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { eventsFromBookingChange } from '#shared/customers/booking-events';
import { isErasedEmail } from '#shared/customers/erasure';
import { applyBookingIdentity } from '#shared/customers/golden-record';
import { identityKeys, resolveCustomer, type CountryCode } from '#shared/customers/identity';
import { assignBadges } from '#shared/customers/personas';
import { computeTraits } from '#shared/customers/traits';
import { resolveMailLocale } from '#shared/mail/locale';
import { DEFAULT_TIMELINE_RETENTION_DAYS, personaThresholdsOf, type Booking } from '#shared/domain/schemas';
import { ProfileConflictError, type CustomerStore } from '#functions/adapters/customer-store';
import { bookingFromItem } from '#functions/adapters/entities/booking';
import { eventExpiresAt } from '#functions/adapters/entities/customer';
import type { DynamoStore } from '#functions/adapters/store';
import type { Clock } from './deps.ts';
import { advanceJourneys } from './journeys.ts';

/**
 * The stream projector: every booking change becomes customer events, and the customer's golden
 * record, traits and badges follow. Everything it writes is keyed deterministically (customer id
 * from the first identity, event ids from booking and version), and traits are recomputed from
 * the whole timeline, so replaying records — twice, or out of order within a customer — ends in
 * the same profile.
 */
export interface ProjectorDeps {
  store: DynamoStore;
  customers: CustomerStore;
  clock: Clock;
}

/** The booking images of a stream record, or undefined for anything that is not a booking change to project. */
export function bookingChangeOf(record: DynamoDBRecord): { before: Booking | undefined; after: Booking } | undefined {
  // REMOVE covers TTL deletions (and nothing else deletes bookings): never projected.
  if (record.eventName === 'REMOVE') return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image || image.type?.S !== 'booking') return undefined;
  const read = (raw: typeof image) => bookingFromItem(unmarshall(raw as Record<string, AttributeValue>));
  const old = record.dynamodb?.OldImage;
  return { before: old && old.type?.S === 'booking' ? read(old) : undefined, after: read(image) };
}

/** How often a projection whose profile write lost a race starts over (decision 65) before the record fails. */
const PROJECTION_ATTEMPTS = 4;

export async function projectBookingChange(deps: ProjectorDeps, change: { before: Booking | undefined; after: Booking }, attempt = 1): Promise<string | undefined> {
  const { after } = change;
  // An erased booking (decision 50) must not bring its customer back from the placeholder.
  if (isErasedEmail(after.customer.email)) return undefined;
  const config = await deps.store.loadConfig(after.tenantId, deps.clock.now());
  if (!config) return undefined;
  const tenant = config.tenant;
  const country = tenant.country as CountryCode | undefined;
  const keys = identityKeys(after.customer, country);
  if (keys.length === 0) return undefined;
  const email = keys.find((k) => k.kind === 'email');
  const phone = keys.find((k) => k.kind === 'phone');
  const [byEmail, byPhone] = await Promise.all([
    email ? deps.customers.getIdentity(tenant.id, 'email', email.value) : undefined,
    phone ? deps.customers.getIdentity(tenant.id, 'phone', phone.value) : undefined,
  ]);
  const resolution = resolveCustomer({ byEmail, byPhone }, tenant.id, keys);
  let customerId = resolution.customerId;
  // The e-mail is a certain identity: whoever claimed it first owns it. A phone owned by another
  // customer stays theirs (a probable match for staff to confirm), never moved silently.
  if (email) customerId = await deps.customers.claimIdentity(tenant.id, 'email', email.value, customerId, after.updatedAt);
  if (phone && !byPhone) await deps.customers.claimIdentity(tenant.id, 'phone', phone.value, customerId, after.updatedAt);

  const service = config.services.find((s) => s.id === after.serviceId);
  const events = eventsFromBookingChange(change.before, after, {
    customerId,
    zone: tenant.timeZone,
    openingHours: tenant.openingHours,
    price: service?.price,
  });
  // Each event expires its tenant's retention after it happened (decision 62).
  const retentionDays = tenant.customers?.timelineRetentionDays ?? DEFAULT_TIMELINE_RETENTION_DAYS;
  await deps.customers.putEvents(events, (event) => eventExpiresAt(event, retentionDays));

  const profile = await deps.customers.getProfile(tenant.id, customerId);
  const record = applyBookingIdentity(profile?.record, {
    customerId,
    tenantId: tenant.id,
    name: after.customer.name,
    email: after.customer.email,
    phone: after.customer.phone,
    country,
    locale: after.customer.locale,
    timeZone: after.customer.timeZone,
    source: after.channel === 'staff' ? 'staff' : 'online',
    at: after.updatedAt,
    // Only the booking's own opt-in counts, recorded when it was given (the booking's creation).
    ...(after.customer.marketingConsent === true && !change.before
      ? { marketingConsent: true, ...(after.customer.consentTextVersion ? { consentTextVersion: after.customer.consentTextVersion } : {}) }
      : {}),
  });
  const now = deps.clock.now();
  const timeline = await deps.customers.listEvents(tenant.id, customerId);
  const traits = computeTraits(timeline, now, tenant.timeZone);
  const badges = assignBadges(traits, personaThresholdsOf(tenant), resolveMailLocale(undefined, tenant.locale));
  const probable = resolution.probableMatch && resolution.probableMatch !== customerId ? [resolution.probableMatch] : [];
  const probableMatches = [...new Set([...(profile?.probableMatches ?? []), ...probable])];
  try {
    await deps.customers.updateProfile(profile, {
      record,
      traits: traits as unknown as Record<string, unknown>,
      badges,
      ...(probableMatches.length ? { probableMatches } : {}),
      updatedAt: new Date(now).toISOString(),
    });
  } catch (error) {
    // Someone else (a staff merge, the customer's preferences) wrote the profile since it was read.
    // Start over rather than re-put: a merge may have moved the identities to another customer, and
    // everything before this point is idempotent (decision 49).
    if (error instanceof ProfileConflictError && attempt < PROJECTION_ATTEMPTS) return projectBookingChange(deps, change, attempt + 1);
    throw error;
  }
  // After the profile: journeys read the consent just recorded. Idempotent like the rest (runs are
  // keyed by rule and booking), so a retried record starts nothing twice.
  await advanceJourneys(deps, {
    config,
    record,
    newEvents: events,
    timeline,
    badges: badges.map((badge) => badge.code),
    hasUpcomingBooking: traits.upcomingBookings > 0,
  });
  return customerId;
}
