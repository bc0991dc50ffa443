import { emailHash, erasedEmail, isErasedEmail, type ErasureCounts } from '#shared/customers/erasure';
import { normaliseEmail, normalisePhone, type CountryCode } from '#shared/customers/identity';
import type { CustomerEvent } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';
import type { OutboxMessage } from '#shared/domain/notifications';
import type { Principal } from '#shared/domain/staff';
import { CustomerStore } from '#functions/adapters/customer-store';
import { publicBooking, type StoredBooking } from '#functions/adapters/entities/booking';
import { identityKey } from '#functions/adapters/entities/customer';
import { PrivacyStore } from '#functions/adapters/privacy-store';
import type { AppDeps } from './deps.ts';
import { journeysOf } from './journeys.ts';
import { eraseWaitlist, waitlistPartOf } from './waitlist.ts';

/**
 * Data rights (decision 50): export everything held about a customer, and erase it. The customer
 * is found as the projector built them; their bookings through the timeline's booking ids, so a
 * booking the projector never saw is missed by both (there is no index by e-mail).
 */

const storesOf = (deps: AppDeps) => ({
  customers: new CustomerStore(deps.store.db, deps.store.tableName),
  privacy: new PrivacyStore(deps.store.db, deps.store.tableName),
});
const notFound = () => new DomainError('customer_not_found', 'No customer with that id.');
const iso = (ms: number) => new Date(ms).toISOString();

const bookingIdsOf = (events: readonly CustomerEvent[]) => [...new Set(events.flatMap((e) => (e.bookingId ? [e.bookingId] : [])))];

async function bookingsOf(deps: AppDeps, tenantId: string, ids: readonly string[]): Promise<StoredBooking[]> {
  const found = await Promise.all(ids.map((id) => deps.store.getBooking(id)));
  return found.filter((b): b is StoredBooking => b?.tenantId === tenantId);
}

/** Bookings with their history and outbox messages, and the suppression state of each address. */
const withoutExportLink = (message: OutboxMessage): OutboxMessage =>
  message.mail.dataExport ? { ...message, mail: { ...message.mail, dataExport: { ...message.mail.dataExport, url: '(the link of this export)' } } } : message;

async function bookingPart(deps: AppDeps, tenantId: string, bookings: readonly StoredBooking[], emails: readonly string[]) {
  const { privacy } = storesOf(deps);
  const withHistory = await Promise.all(
    bookings.map(async (booking) => ({ booking: publicBooking(booking), history: await deps.store.listHistory(booking.id), messages: await privacy.messagesOfBooking(booking) })),
  );
  const suppressions = await Promise.all(
    emails.map(async (email) => {
      const bounce = await deps.store.getSuppression(email);
      return {
        email,
        suppressed: bounce !== undefined,
        ...(bounce ? { reason: bounce.reason, at: bounce.at, ...(bounce.detail ? { detail: bounce.detail } : {}) } : {}),
        erasedBefore: await privacy.isAddressErased(tenantId, emailHash(email)),
      };
    }),
  );
  return {
    bookings: withHistory.map(({ booking, history }) => ({ booking, history: history as unknown as Array<Record<string, unknown>> })),
    // A data-export mail's link opens this very export: not repeated in it, where it would outlive the mail.
    messages: withHistory.flatMap(({ messages }) => messages.map(withoutExportLink)) as unknown as Array<Record<string, unknown>>,
    suppressions,
  };
}

export async function exportCustomer(deps: AppDeps, tenantId: string, requestedId: string) {
  const { customers } = storesOf(deps);
  // An id merged into another exports the customer it became (decision 66).
  const current = await customers.currentProfile(tenantId, requestedId);
  const customerId = current?.record.customerId ?? requestedId;
  const [profile, timeline, merges] = await Promise.all([customers.getProfile(tenantId, customerId), customers.listEvents(tenantId, customerId), customers.listMerges(tenantId, customerId)]);
  // Waitlist entries are the customer's too (decision 107), also of someone who never booked.
  const waiting = await waitlistPartOf(deps.store, tenantId, [customerId, ...(profile?.record.mergedFrom ?? []).filter((id) => id !== customerId)]);
  if (!profile && timeline.length === 0 && waiting.refs.length === 0) throw notFound();
  const record = profile?.record;
  const keys = [...(record?.emails ?? []).map((e) => ({ kind: 'email' as const, value: e.value })), ...(record?.phones ?? []).map((p) => ({ kind: 'phone' as const, value: p.value }))];
  const owners = await Promise.all(keys.map((k) => customers.getIdentity(tenantId, k.kind, k.value)));
  const identities = keys.filter((_, i) => owners[i] === customerId).map((k) => ({ ...k, customerId }));
  const bookings = await bookingsOf(deps, tenantId, bookingIdsOf(timeline));
  const emails = [...new Set([...(record?.emails ?? []).map((e) => e.value), ...bookings.flatMap((b) => normaliseEmail(b.customer.email) ?? [])])];
  const journeys = await journeyPart(deps, tenantId, customerId);
  const part = await bookingPart(deps, tenantId, bookings, emails);
  return {
    exportedAt: iso(deps.clock.now()),
    tenantId,
    customerId,
    profile: profile ? (profile as unknown as Record<string, unknown>) : null,
    identities,
    timeline: timeline as unknown as Array<Record<string, unknown>>,
    // The records of customers merged into this one as they were, kept for an undo.
    merges: merges as unknown as Array<Record<string, unknown>>,
    journeyRuns: journeys.runs as unknown as Array<Record<string, unknown>>,
    tasks: journeys.tasks as unknown as Array<Record<string, unknown>>,
    // The entries as stored, but for the hash of their manage token (a credential's digest, not data about the customer).
    waitlist: waiting.entries.map(({ manageTokenHash: _hash, ...entry }) => entry) as unknown as Array<Record<string, unknown>>,
    ...part,
    messages: [...part.messages, ...(journeys.messages as unknown as Array<Record<string, unknown>>), ...(waiting.messages as unknown as Array<Record<string, unknown>>)],
  };
}

/** The customer's journey runs and what they made: journey mails are keyed by run, not by booking version. */
async function journeyPart(deps: AppDeps, tenantId: string, customerId: string) {
  const journeys = journeysOf(deps.store);
  const runs = await journeys.listRuns(tenantId, customerId);
  const [messages, tasks] = await Promise.all([
    Promise.all(runs.flatMap((run) => (run.messageId ? [deps.store.getMessage(run.messageId)] : []))),
    Promise.all(runs.flatMap((run) => (run.taskId ? [journeys.getTask(tenantId, run.taskId)] : []))),
  ]);
  return { runs, messages: messages.filter((m) => m !== undefined), tasks: tasks.filter((t) => t !== undefined) };
}

/**
 * The export a mailed data-export link opens (decision 68): the customer the link names (or the
 * one it was merged into since), with the booking the link was asked from even when the projector
 * has not reached it yet. Without a customer — not projected yet, or erased since — the export
 * holds that one booking, as the booking's page shows it.
 */
export async function exportForDataExportLink(deps: AppDeps, link: { tenantId: string; customerId: string; bookingId: string }) {
  const found = await deps.store.getBooking(link.bookingId);
  const booking = found?.tenantId === link.tenantId ? found : undefined;
  try {
    const full = await exportCustomer(deps, link.tenantId, link.customerId);
    if (!booking || full.bookings.some((b) => b.booking.id === booking.id)) return full;
    const extra = await bookingPart(deps, link.tenantId, [booking], []);
    return { ...full, bookings: [...full.bookings, ...extra.bookings], messages: [...full.messages, ...extra.messages] };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'customer_not_found') || !booking) throw error;
  }
  const email = normaliseEmail(booking.customer.email);
  return {
    exportedAt: iso(deps.clock.now()),
    tenantId: link.tenantId,
    customerId: null,
    profile: null,
    identities: [],
    timeline: [],
    ...(await bookingPart(deps, link.tenantId, [booking], email && !isErasedEmail(email) ? [email] : [])),
  };
}

/**
 * Erases a customer. Order matters for a retry after a crash: bookings and their mails first
 * (found through the timeline), the timeline and profile last, so a second run still finds
 * whatever the first left. Running it again is harmless (the tombstone keeps the 200).
 */
export async function eraseCustomer(deps: AppDeps, principal: Principal, tenantId: string, customerId: string, reason: string) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  const country = config.tenant.country as CountryCode | undefined;
  const { customers, privacy } = storesOf(deps);
  const at = iso(deps.clock.now());
  const [profile, timeline, tombstone] = await Promise.all([
    customers.getProfile(tenantId, customerId),
    customers.listEvents(tenantId, customerId),
    privacy.getTombstone(tenantId, customerId),
  ]);
  const mergedIds = (profile?.record.mergedFrom ?? []).filter((id) => id !== customerId);
  const waiting = await waitlistPartOf(deps.store, tenantId, [customerId, ...mergedIds]);
  if (!profile && timeline.length === 0 && !tombstone && waiting.refs.length === 0) throw notFound();
  // Erasing an id merged into another would leave the person's data under the other id: refuse and
  // name it (decision 66). Customers merged into this one are erased with it: their partitions hold
  // the records and events an undo would restore.
  if (profile?.mergedInto) {
    throw new DomainError('customer_merged', `Customer ${customerId} has been merged into ${profile.mergedInto}: erase that customer.`, { customerId, mergedInto: profile.mergedInto });
  }
  const mergedTimelines = (await Promise.all(mergedIds.map((id) => customers.listEvents(tenantId, id)))).flat();
  const mergedProfiles = (await Promise.all(mergedIds.map((id) => customers.getProfile(tenantId, id)))).filter((p) => p !== undefined);

  const bookings = (await bookingsOf(deps, tenantId, bookingIdsOf([...timeline, ...mergedTimelines]))).filter((b) => !isErasedEmail(b.customer.email));
  const records = [profile, ...mergedProfiles].flatMap((p) => (p ? [p.record] : []));
  const emails = new Set(records.flatMap((r) => r.emails.map((e) => e.value)));
  const phones = new Set(records.flatMap((r) => r.phones.map((p) => p.value)));
  for (const booking of bookings) {
    const email = normaliseEmail(booking.customer.email);
    if (email) emails.add(email);
    const phone = normalisePhone(booking.customer.phone, country);
    if (phone) phones.add(phone);
  }
  const counts: ErasureCounts = { profiles: 0, identities: 0, events: 0, bookings: 0, messages: 0, idempotencyRecords: 0 };

  // Waitlist entries and their offer mails before the partition that holds their references.
  if (waiting.refs.length > 0) {
    const erased = await eraseWaitlist(deps.store, tenantId, [customerId, ...mergedIds]);
    counts.messages += erased.messages;
    for (const email of erased.emails) emails.add(email);
  }

  for (const booking of bookings) {
    // Pending mails (reminders included) are cancelled by deleting them; sent ones and provider
    // copies go too, since their snapshot names the customer.
    const messages = await privacy.messagesOfBooking(booking);
    await Promise.all(messages.map((m) => privacy.deleteMessage(m.id)));
    counts.messages += messages.length;
    const email = normaliseEmail(booking.customer.email) ?? booking.customer.email.trim().toLowerCase();
    if (await privacy.anonymiseBooking(booking.id, erasedEmail(email), at)) counts.bookings += 1;
    await privacy.dropHistoryReasons(booking.id, Array.from({ length: booking.version }, (_, i) => i + 1));
  }
  const idempotency = await privacy.idempotencyRecordsOf(bookings.map((b) => b.id));
  await Promise.all(idempotency.map((key) => privacy.deleteItem(key)));
  counts.idempotencyRecords = idempotency.length;

  // Journey mails (queued or sent) and reception tasks go before the runs that name them, which
  // go with the partition below.
  const deleted: string[] = [];
  for (const id of [customerId, ...mergedIds]) {
    const journeys = await journeyPart(deps, tenantId, id);
    await Promise.all([...journeys.messages.map((m) => privacy.deleteMessage(m.id)), ...journeys.tasks.map((t) => journeysOf(deps.store).deleteTask(tenantId, t.id))]);
    counts.messages += journeys.messages.length;

    for (const email of emails) if (await privacy.deleteIdentity(identityKey(tenantId, 'email', email), id)) counts.identities += 1;
    for (const phone of phones) if (await privacy.deleteIdentity(identityKey(tenantId, 'phone', phone), id)) counts.identities += 1;
    deleted.push(...(await privacy.deleteCustomerPartition(tenantId, id)));
  }
  counts.profiles = deleted.filter((sk) => sk === 'PROFILE').length;
  counts.events = deleted.filter((sk) => sk.startsWith('EV#')).length;

  await Promise.all([...emails].map((email) => privacy.markAddressErased(tenantId, emailHash(email), at)));
  await Promise.all([customerId, ...mergedIds].map((id) => privacy.putTombstone(tenantId, id, at)));
  const role = [...principal.roles][0] ?? 'admin';
  await privacy.putAudit({ tenantId, customerId, at, actor: { userId: principal.userId, role }, reason, counts });
  return { customerId, erasedAt: tombstone?.erasedAt ?? at, alreadyErased: tombstone !== undefined && !profile && timeline.length === 0, counts };
}
