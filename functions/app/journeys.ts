import { IANAZone } from 'luxon';
import { emailHash } from '#shared/customers/erasure';
import { currentConsent } from '#shared/customers/golden-record';
import { assignBadges } from '#shared/customers/personas';
import { computeTraits } from '#shared/customers/traits';
import type { CustomerEvent, GoldenRecord } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import { mailSnapshot, type OutboxMessage } from '#shared/domain/notifications';
import { personaThresholdsOf, type TenantConfig } from '#shared/domain/schemas';
import { capWindowStart, decideRun, startRuns, type DecideContext, type JourneyReason, type RunDecision } from '#shared/journeys/evaluate';
import { DEFAULT_JOURNEYS, journeySettingsSchema, type JourneyRule, type JourneySettings } from '#shared/journeys/rules';
import { resolveMailLocale } from '#shared/mail/locale';
import { CustomerStore } from '#functions/adapters/customer-store';
import { journeyMessageId, type ReceptionTask, type StoredRun } from '#functions/adapters/entities/journey';
import { JourneyStore, type RunSettlement } from '#functions/adapters/journey-store';
import { PrivacyStore } from '#functions/adapters/privacy-store';
import type { DynamoStore } from '#functions/adapters/store';
import { logger } from '#functions/lib/logger';
import type { Clock } from './deps.ts';
import { timelineExpiry } from './mail-events.ts';

/**
 * The journey runtime around the pure rules of shared/journeys: the projector starts runs from a
 * customer's new events (and ends runs an event exits at once), and the runner, every minute,
 * decides each due run — send its mail through the outbox, open a reception task, wait for the
 * send window, or end it with a reason — and writes that decision, the action and a timeline
 * entry in one transaction conditioned on the run as read. Everything the decision reads
 * (consent, suppression, upcoming bookings, badges, the frequency cap) is read when the run is
 * due, not when it started: a customer who rebooked or unsubscribed in between gets nothing.
 */

export interface JourneyDeps {
  store: DynamoStore;
  clock: Clock;
  /** The sender address of booking mails: journey mails come from the same one. */
  mailFrom: string;
}

const DAY_MS = 86_400_000;
/**
 * A run whose due time had passed by more than this when its event reached the projector is not
 * started: a replay of old stream records (a backfill, a projector catching up after days) must
 * not send yesterday's "book again" today. A day covers any ordinary stream delay.
 */
export const STALE_RUN_MS = DAY_MS;
/** The runner reads today's and yesterday's due buckets (a deferred run moves to its new day's). */
const RUNNER_DAYS = 2;

export const journeysOf = (store: DynamoStore) => new JourneyStore(store.db, store.tableName);
export const rulesOf = (config: TenantConfig): readonly JourneyRule[] => config.journeys?.rules ?? DEFAULT_JOURNEYS;

/**
 * Local wall times ("09:00 the next day", send windows) are the customer's: the zone they booked
 * in, else the business's. A customer in Kolkata booking a Berlin salon online is not mailed at
 * 04:30 their time.
 */
export function customerZone(record: GoldenRecord | undefined, config: TenantConfig): string {
  const zone = record?.timeZone?.value;
  return zone && IANAZone.isValidZone(zone) ? zone : config.tenant.timeZone;
}

const consentOf = (record: GoldenRecord) => (purpose: Parameters<typeof currentConsent>[1]) => currentConsent(record, purpose, 'email');

function stepEvent(run: StoredRun, outcome: StoredRun['status'], reason: JourneyReason | undefined, at: number): CustomerEvent {
  return {
    id: `journey.${run.key}.${outcome}`,
    tenantId: run.tenantId,
    customerId: run.customerId,
    type: 'journey_step',
    at: isoInstant(at),
    ...(run.bookingId ? { bookingId: run.bookingId } : {}),
    detail: `${run.ruleId}: ${outcome}${reason ? ` (${reason.code})` : ''}`,
  };
}

/**
 * What the projector calls after a booking change: start the runs the change's events begin, and
 * end the waiting runs an event exits (a booking after a cancel ends the rebook invitation now,
 * rather than when it falls due). Returns the keys started.
 */
export async function advanceJourneys(
  deps: { store: DynamoStore; clock: Clock },
  input: { config: TenantConfig; record: GoldenRecord; newEvents: readonly CustomerEvent[]; timeline: readonly CustomerEvent[]; badges: readonly string[]; hasUpcomingBooking: boolean },
): Promise<string[]> {
  const { config, record } = input;
  const journeys = journeysOf(deps.store);
  const now = deps.clock.now();
  const rules = rulesOf(config);
  const zone = customerZone(record, config);
  const runs = await journeys.listRuns(record.tenantId, record.customerId);

  const started: string[] = [];
  const existingRunKeys = new Set(runs.map((run) => run.key));
  for (const event of input.newEvents) {
    const planned = startRuns(rules, event, { badges: input.badges, consent: consentOf(record), hasUpcomingBooking: input.hasUpcomingBooking, zone, now, existingRunKeys });
    for (const run of planned) {
      existingRunKeys.add(run.key);
      if (run.dueAt < now - STALE_RUN_MS) continue;
      const at = isoInstant(now);
      if (await journeys.startRun({ ...run, tenantId: record.tenantId, status: 'waiting', createdAt: at, updatedAt: at })) started.push(run.key);
    }
  }

  for (const run of runs) {
    if (run.status !== 'waiting') continue;
    const rule = rules.find((r) => r.id === run.ruleId);
    if (!rule) continue;
    const decision = decideRun(run, rule, {
      events: input.timeline,
      badges: input.badges,
      consent: consentOf(record),
      hasUpcomingBooking: input.hasUpcomingBooking,
      suppressed: false,
      sentInWindow: () => 0,
      now,
      zone,
    });
    if (decision.kind !== 'exit') continue;
    const ended: StoredRun = { ...run, status: 'exited', reason: decision.reason, updatedAt: isoInstant(now) };
    const event = stepEvent(run, 'exited', decision.reason, now);
    await journeys.settleRun(run, { run: ended, event, eventExpiresAt: timelineExpiry(config)(event) });
  }
  return started;
}

export type RunOutcome = 'sent' | 'task' | 'deferred' | 'skipped' | 'exited' | 'gone' | 'lost_race';

/** Decides one due run and writes the outcome. */
export async function processRun(deps: JourneyDeps, due: StoredRun): Promise<RunOutcome> {
  const now = deps.clock.now();
  const journeys = journeysOf(deps.store);
  const customers = new CustomerStore(deps.store.db, deps.store.tableName);
  // The index is eventually consistent: act only on the run as it is now.
  const run = await journeys.getRun(due.tenantId, due.customerId, due.key);
  if (!run || run.status !== 'waiting' || run.dueAt > now) return 'gone';
  const [config, profile, timeline, runs] = await Promise.all([
    deps.store.loadConfig(run.tenantId, now),
    customers.getProfile(run.tenantId, run.customerId),
    customers.listEvents(run.tenantId, run.customerId),
    journeys.listRuns(run.tenantId, run.customerId),
  ]);
  const end = async (status: 'skipped' | 'exited', reason: JourneyReason): Promise<RunOutcome> => {
    const event = stepEvent(run, status, reason, now);
    const settled = { run: { ...run, status, reason, updatedAt: isoInstant(now) }, event, ...(config ? { eventExpiresAt: timelineExpiry(config)(event) } : {}) };
    return (await journeys.settleRun(run, settled)) ? status : 'lost_race';
  };
  if (!config || !profile) return end('skipped', { code: 'customer_gone', message: 'The customer or the business no longer exists.' });
  // Merged into another customer: that customer's own journeys speak for them now, and this
  // record is frozen as it was (it is what an undo restores).
  if (profile.mergedInto) return end('exited', { code: 'customer_gone', message: `The customer was merged into ${profile.mergedInto}.` });

  const rule = rulesOf(config).find((r) => r.id === run.ruleId);
  if (!rule) return end('exited', { code: 'rule_disabled', message: 'The journey was removed after this run started.' });
  const record = profile.record;
  const zone = customerZone(record, config);
  const traits = computeTraits(timeline, now, config.tenant.timeZone);
  const badges = assignBadges(traits, personaThresholdsOf(config.tenant), resolveMailLocale(undefined, config.tenant.locale)).map((badge) => badge.code);
  const email = record.emails[0]?.value;
  const context: DecideContext = {
    events: timeline,
    badges,
    consent: consentOf(record),
    hasUpcomingBooking: traits.upcomingBookings > 0,
    suppressed: email === undefined || (await isSuppressed(deps.store, run.tenantId, email)),
    sentInWindow: (ruleId, per) => {
      const from = capWindowStart(now, per, zone);
      return runs.filter((other) => other.ruleId === ruleId && other.sentAt !== undefined && Date.parse(other.sentAt) > from).length;
    },
    now,
    zone,
  };
  const decision: RunDecision = decideRun(run, rule, context);
  switch (decision.kind) {
    case 'exit':
      return end('exited', decision.reason);
    case 'skip':
      return end('skipped', decision.reason);
    case 'defer':
      return (await journeys.settleRun(run, { run: { ...run, dueAt: decision.until, reason: decision.reason, updatedAt: isoInstant(now) } })) ? 'deferred' : 'lost_race';
    case 'send':
      break;
  }

  const settlement = await actionOf(deps, run, rule, { config, record, now, email: email as string });
  if ('skip' in settlement) return end('skipped', settlement.skip);
  const expires = settlement.event ? { eventExpiresAt: timelineExpiry(config)(settlement.event) } : {};
  return (await journeys.settleRun(run, { ...settlement, ...expires })) ? (settlement.task ? 'task' : 'sent') : 'lost_race';
}

async function isSuppressed(store: DynamoStore, tenantId: string, email: string): Promise<boolean> {
  const [bounce, erased] = await Promise.all([store.getSuppression(email), new PrivacyStore(store.db, store.tableName).isAddressErased(tenantId, emailHash(email))]);
  return bounce !== undefined || erased;
}

/** The run's action as what to write: an outbox message or a task, with the sent run and its timeline entry. */
async function actionOf(
  deps: JourneyDeps,
  run: StoredRun,
  rule: JourneyRule,
  input: { config: TenantConfig; record: GoldenRecord; now: number; email: string },
): Promise<RunSettlement | { skip: JourneyReason }> {
  const { config, record, now } = input;
  const at = isoInstant(now);
  const action = rule.action;
  if (action.kind === 'task') {
    const task: ReceptionTask = {
      id: `${run.ruleId}.${run.bookingId ?? run.customerId}`,
      tenantId: run.tenantId,
      customerId: run.customerId,
      ...(run.bookingId ? { bookingId: run.bookingId } : {}),
      ruleId: run.ruleId,
      title: action.title,
      status: 'open',
      dueAt: isoInstant(run.dueAt),
      createdAt: at,
    };
    return { run: { ...run, status: 'sent', sentAt: at, taskId: task.id, reason: undefined, updatedAt: at }, task, event: stepEvent(run, 'sent', undefined, now) };
  }

  const booking = run.bookingId ? await deps.store.getBooking(run.bookingId) : undefined;
  if (!booking || booking.tenantId !== run.tenantId) return { skip: { code: 'booking_gone', message: 'The booking the mail is about no longer exists.' } };
  const reviewUrl = config.journeys?.reviewUrl;
  if (action.template === 'review-request' && !reviewUrl) {
    return { skip: { code: 'not_configured', message: 'No review page is set for the business, so there is nowhere to send the customer.' } };
  }
  const message: OutboxMessage = {
    id: journeyMessageId(run),
    tenantId: run.tenantId,
    bookingId: booking.id,
    kind: action.template,
    audience: 'customer',
    // The golden record's address (the newest), not the booking's: the customer may have moved on.
    to: input.email,
    journey: { template: action.template, ruleId: run.ruleId, customerId: run.customerId, purpose: action.purpose, ...(action.template === 'review-request' ? { reviewUrl } : {}) },
    mail: {
      kind: action.template,
      audience: 'customer',
      locale: resolveMailLocale(record.locale?.value ?? booking.customer.locale, config.tenant.locale),
      timeZone: customerZone(record, config),
      business: { name: config.tenant.name, email: deps.mailFrom, timeZone: config.tenant.timeZone },
      booking: { ...mailSnapshot(booking, config), customer: { name: record.name?.value ?? booking.customer.name, email: input.email } },
    },
    withManageLink: action.template === 'extra-reminder',
    dueAt: at,
    nextAttemptAt: at,
    status: 'pending',
    attempts: 0,
    createdAt: at,
  };
  return { run: { ...run, status: 'sent', sentAt: at, messageId: message.id, reason: undefined, updatedAt: at }, message, event: stepEvent(run, 'sent', undefined, now) };
}

/** Every run due now, one at a time per worker; overlapping runners are safe (conditional settles). */
export async function runDueJourneys(deps: JourneyDeps, options: { limit?: number; concurrency?: number } = {}) {
  const now = deps.clock.now();
  const days = Array.from({ length: RUNNER_DAYS }, (_, i) => isoInstant(now - i * DAY_MS).slice(0, 10));
  const due = await journeysOf(deps.store).dueRuns(isoInstant(now), days, options.limit ?? 500);
  const outcomes: Record<RunOutcome | 'failed', number> = { sent: 0, task: 0, deferred: 0, skipped: 0, exited: 0, gone: 0, lost_race: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const run = due[next++]!;
      try {
        outcomes[await processRun(deps, run)] += 1;
      } catch (error) {
        // One broken run must not hold up the others; it stays waiting and is tried next minute.
        outcomes.failed += 1;
        logger.error('a journey run failed', { key: run.key, tenantId: run.tenantId, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, due.length) }, worker));
  return { due: due.length, ...outcomes };
}

// ---------------------------------------------------------------------------------------------
// Staff API: the journey rules (admin) and reception's tasks.

export interface JourneySettingsView {
  rules: JourneyRule[];
  reviewUrl?: string | undefined;
  /** False while the tenant runs on the defaults (nothing saved yet). */
  customised: boolean;
  /** Give it back on PUT: a save over someone else's newer one is refused. */
  revision: number;
}

export async function getJourneySettings(deps: { store: DynamoStore }, tenantId: string): Promise<JourneySettingsView> {
  const saved = await deps.store.getConfigRecord(tenantId, 'journeys');
  if (saved) return { ...saved.data, rules: saved.data.rules, customised: true, revision: saved.revision };
  // A tenant must exist for its defaults to be shown.
  if (!(await deps.store.getConfigRecord(tenantId, 'tenant'))) throw new DomainError('tenant_not_found', 'No business with that id.');
  return { rules: [...DEFAULT_JOURNEYS], customised: false, revision: 0 };
}

export async function putJourneySettings(
  deps: { store: DynamoStore; clock: Clock },
  tenantId: string,
  body: JourneySettings & { revision?: number | undefined },
): Promise<JourneySettingsView> {
  const { revision, ...settings } = body;
  const parsed = journeySettingsSchema.parse(settings);
  const current = await deps.store.getConfigRecord(tenantId, 'journeys');
  if (!current && !(await deps.store.getConfigRecord(tenantId, 'tenant'))) throw new DomainError('tenant_not_found', 'No business with that id.');
  const seen = current?.revision ?? 0;
  if (revision !== undefined && revision !== seen) {
    throw new DomainError('concurrent_modification', 'The journeys were changed meanwhile; load them again and retry.', { revision: seen });
  }
  // The first save creates the item (null: must not exist yet); later ones condition on the revision read.
  try {
    await deps.store.putConfigRecord(tenantId, 'journeys', parsed, isoInstant(deps.clock.now()), current ? seen : null);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'id_taken') {
      throw new DomainError('concurrent_modification', 'The journeys were saved by someone else meanwhile; load them again and retry.');
    }
    throw error;
  }
  return { ...parsed, customised: true, revision: seen + 1 };
}

export const listTasks = async (deps: { store: DynamoStore }, tenantId: string) => ({ tasks: await journeysOf(deps.store).listOpenTasks(tenantId) });

export const completeTask = async (deps: { store: DynamoStore; clock: Clock }, tenantId: string, taskId: string, by: string) =>
  journeysOf(deps.store).completeTask(tenantId, taskId, by, isoInstant(deps.clock.now()));
