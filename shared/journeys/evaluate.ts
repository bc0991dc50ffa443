import type { IANAZone } from 'luxon';
import type { ConsentPurpose, CustomerEvent } from '../customers/types.ts';
import { atLocalTime, inWindow, intoWindow, parseDuration, shiftBy, zoneOf } from './local-time.ts';
import type { JourneyAction, JourneyRule } from './rules.ts';

/**
 * Journey evaluation, pure: which runs an event starts (startRuns) and, when a run is due, what
 * to do with it (decideRun). The clock, the zone and everything read from the store come in as
 * arguments; the caller persists runs, keeps their keys, and calls decideRun again at a defer's
 * `until`.
 */

export interface JourneyRun {
  /** `${ruleId}#booking#${bookingId}` or `${ruleId}#customer#${customerId}`: one run per instance, ever started once. */
  key: string;
  ruleId: string;
  customerId: string;
  bookingId?: string | undefined;
  /** The event that started the run (a replay of it carries the same id). */
  triggerEventId: string;
  /** The event's time (epoch ms): exit events count from here on. */
  startedAt: number;
  /** The appointment (epoch ms), for runs timed before it. */
  appointmentStart?: number | undefined;
  /** When the action is due (epoch ms): the wait, then moved into the send window. */
  dueAt: number;
  action: JourneyAction;
}

export interface StartContext {
  /** The customer's badges when the event happens. */
  badges: readonly string[];
  /** Whether the customer's consent ledger grants this purpose now. */
  consent: (purpose: ConsentPurpose) => boolean;
  hasUpcomingBooking: boolean;
  /** The tenant's (or provider's) IANA zone: local wall times and send windows are read there. */
  zone: string;
  /** The clock's reading (epoch ms). */
  now: number;
  /** Keys of the runs the customer already has (running or finished). */
  existingRunKeys: ReadonlySet<string>;
}

export interface DecideContext {
  /** The customer's events since the run started (older ones and the trigger itself are ignored). */
  events: readonly CustomerEvent[];
  badges: readonly string[];
  consent: (purpose: ConsentPurpose) => boolean;
  hasUpcomingBooking: boolean;
  /** The customer's address is on the suppression list (bounce, complaint, erasure). */
  suppressed: boolean;
  /** How many actions of this rule the customer got within `per` (an ISO duration) before now; see capWindowStart. */
  sentInWindow: (ruleId: string, per: string) => number;
  now: number;
  zone: string;
}

export type ReasonCode =
  | 'exit_event'
  | 'rule_disabled'
  | 'not_due'
  | 'appointment_passed'
  | 'suppressed'
  | 'no_consent'
  | 'upcoming_booking'
  | 'badge_missing'
  | 'badge_excluded'
  | 'frequency_capped'
  | 'outside_send_window'
  // Set by the runtime (functions/app/journeys.ts), not by decideRun:
  | 'not_configured'
  | 'booking_gone'
  | 'customer_gone';

/** For staff-facing logs: a stable code and a sentence saying why. */
export interface JourneyReason {
  code: ReasonCode;
  message: string;
}

export type RunDecision =
  | { kind: 'send' }
  | { kind: 'exit'; reason: JourneyReason }
  | { kind: 'skip'; reason: JourneyReason }
  | { kind: 'defer'; until: number; reason: JourneyReason };

export function runKey(rule: Pick<JourneyRule, 'id' | 'instanceKey'>, customerId: string, bookingId: string): string;
export function runKey(rule: Pick<JourneyRule, 'id' | 'instanceKey'>, customerId: string, bookingId?: string): string | undefined;
export function runKey(rule: Pick<JourneyRule, 'id' | 'instanceKey'>, customerId: string, bookingId?: string): string | undefined {
  if (rule.instanceKey === 'customer') return `${rule.id}#customer#${customerId}`;
  return bookingId === undefined ? undefined : `${rule.id}#booking#${bookingId}`;
}

/**
 * The runs one event starts. A rule starts a run when it is enabled, its trigger's event type
 * and filters match, its consent and noUpcomingBooking conditions hold now, its instance (the
 * event's booking, or the customer) has no run yet, and it has a due time:
 *
 * - after: the event's time plus the duration (days on the local wall clock, hours exact);
 * - nextLocal "HH:mm": that wall time on the next calendar date in the zone after the event's
 *   own local date — 22:30 → 09:00 the next morning, and 00:30 → 09:00 of the following day
 *   too (not 8½ hours later), because "tomorrow" is read on the customer's calendar;
 * - daysBeforeStart n, at "HH:mm": that wall time n calendar dates before the appointment's
 *   local date; no run when that is not after both the event and `now` (booked too late).
 *
 * A wall time the clock skips becomes the jump, one it shows twice its first occurrence. The due
 * time then moves LATER into the send window, to its next opening (22:00 with 08:00–20:00 →
 * 08:00 the next day). Later, unlike reminders (which move earlier), since these messages are
 * not urgent; a run timed before an appointment that would thereby reach the appointment is
 * not started.
 */
export function startRuns(rules: readonly JourneyRule[], event: CustomerEvent, context: StartContext): JourneyRun[] {
  const tz = zoneOf(context.zone);
  const eventAt = Date.parse(event.at);
  if (Number.isNaN(eventAt)) throw new RangeError(`event ${event.id} has no valid time: "${event.at}"`);

  const runs: JourneyRun[] = [];
  const keys = new Set(context.existingRunKeys);
  for (const rule of rules) {
    if (!rule.enabled || rule.trigger.event !== event.type || !matchesFilters(rule, event, context.badges)) continue;
    if (rule.conditions?.consent && !context.consent(rule.conditions.consent)) continue;
    if (rule.conditions?.noUpcomingBooking && context.hasUpcomingBooking) continue;
    const key = runKey(rule, event.customerId, event.bookingId);
    if (key === undefined || keys.has(key)) continue;

    const appointmentStart = event.start === undefined ? undefined : Date.parse(event.start);
    const planned = plannedDue(rule, eventAt, appointmentStart, tz);
    if (planned === undefined) continue;
    const dueAt = rule.sendWindow ? intoWindow(planned, rule.sendWindow, tz) : planned;
    if (dueAt === undefined) continue;
    if ('daysBeforeStart' in rule.wait && (dueAt <= eventAt || dueAt <= context.now || appointmentStart === undefined || dueAt >= appointmentStart)) {
      continue;
    }

    keys.add(key);
    runs.push({
      key,
      ruleId: rule.id,
      customerId: event.customerId,
      ...(event.bookingId === undefined ? {} : { bookingId: event.bookingId }),
      triggerEventId: event.id,
      startedAt: eventAt,
      ...('daysBeforeStart' in rule.wait && appointmentStart !== undefined ? { appointmentStart } : {}),
      dueAt,
      action: rule.action,
    });
  }
  return runs;
}

function matchesFilters(rule: JourneyRule, event: CustomerEvent, badges: readonly string[]): boolean {
  const filters = rule.trigger.filters;
  if (!filters) return true;
  if (filters.channel !== undefined && event.channel !== filters.channel) return false;
  if (filters.serviceIds && (event.serviceId === undefined || !filters.serviceIds.includes(event.serviceId))) return false;
  if (filters.providerIds && (event.providerId === undefined || !filters.providerIds.includes(event.providerId))) return false;
  return badgeProblem(filters.badges, badges) === undefined;
}

function plannedDue(rule: JourneyRule, eventAt: number, appointmentStart: number | undefined, tz: IANAZone): number | undefined {
  const wait = rule.wait;
  if ('after' in wait) {
    const duration = parseDuration(wait.after);
    if (!duration) throw new RangeError(`rule ${rule.id}: not a duration: "${wait.after}"`);
    return shiftBy(eventAt, duration, 1, tz);
  }
  if ('nextLocal' in wait) return atLocalTime(eventAt, 1, wait.nextLocal, tz);
  if (appointmentStart === undefined || Number.isNaN(appointmentStart)) return undefined;
  return atLocalTime(appointmentStart, -wait.daysBeforeStart, wait.at, tz);
}

function badgeProblem(set: { all?: string[] | undefined; none?: string[] | undefined } | undefined, badges: readonly string[]): JourneyReason | undefined {
  const missing = set?.all?.find((badge) => !badges.includes(badge));
  if (missing !== undefined) return { code: 'badge_missing', message: `The customer no longer has (or never had) the badge "${missing}".` };
  const excluded = set?.none?.find((badge) => badges.includes(badge));
  if (excluded !== undefined) return { code: 'badge_excluded', message: `The customer has the badge "${excluded}", which this journey excludes.` };
  return undefined;
}

/** The start of the frequency cap's window before `now` (days on the local wall clock): sends after it count. */
export function capWindowStart(now: number, per: string, zone: string): number {
  const duration = parseDuration(per);
  if (!duration) throw new RangeError(`not a duration: "${per}"`);
  return shiftBy(now, duration, -1, zoneOf(zone));
}

/**
 * What to do with a run now. The checks, in order; the first that applies decides:
 *
 * 1. exit — one of the rule's exitOn events (any of the customer's) or exitOnBooking events
 *    (about the run's booking) happened at or after the run started, or the rule was disabled.
 *    Final, and checked even before the run is due: a booking after a cancel ends the rebook run
 *    at once.
 * 2. defer until dueAt — not due yet.
 * 3. skip (final) — relevance, read now: the appointment a timed run belongs to has begun; the
 *    customer is suppressed (blocks every mail, service ones too; a staff task still goes); a
 *    marketing or review mail without consent for its purpose (service mail needs none: it
 *    rests on the contract); the rule's consent, noUpcomingBooking or badge conditions fail.
 *    Only a failed badge condition of a rule with `recheck` defers instead: to `every` later,
 *    while that is within `within` of the run's start.
 * 4. skip (final) — the frequency cap: `sentInWindow(rule.id, cap.per)` is already `cap.max`.
 * 5. defer — now lies outside the send window (the caller was late): until its next opening;
 *    a run timed before an appointment is skipped instead when that opening reaches it.
 * 6. send. The caller records the send (which sentInWindow counts) and ends the run.
 */
export function decideRun(run: JourneyRun, rule: JourneyRule, context: DecideContext): RunDecision {
  if (rule.id !== run.ruleId) throw new RangeError(`run ${run.key} belongs to rule ${run.ruleId}, not ${rule.id}`);
  const tz = zoneOf(context.zone);
  const { now } = context;

  const exit = exitEvent(run, rule, context.events);
  if (exit) {
    return { kind: 'exit', reason: { code: 'exit_event', message: `The customer's "${exit.type}" event (${exit.id}) after the journey started ends it.` } };
  }
  if (!rule.enabled) return { kind: 'exit', reason: { code: 'rule_disabled', message: 'The journey was switched off after this run started.' } };
  if (now < run.dueAt) return { kind: 'defer', until: run.dueAt, reason: { code: 'not_due', message: 'The run is not due yet.' } };

  const irrelevant = relevanceProblem(run, rule, context);
  if (irrelevant) {
    const again = recheckAt(run, rule, irrelevant, now, tz);
    return again === undefined ? { kind: 'skip', reason: irrelevant } : { kind: 'defer', until: again, reason: irrelevant };
  }

  if (rule.frequencyCap) {
    const sent = context.sentInWindow(rule.id, rule.frequencyCap.per);
    if (sent >= rule.frequencyCap.max) {
      return {
        kind: 'skip',
        reason: { code: 'frequency_capped', message: `The customer already got this ${sent} time(s) within ${rule.frequencyCap.per}; the limit is ${rule.frequencyCap.max}.` },
      };
    }
  }

  if (rule.sendWindow && !inWindow(now, rule.sendWindow, tz)) {
    const until = intoWindow(now, rule.sendWindow, tz);
    if (until === undefined || (run.appointmentStart !== undefined && until >= run.appointmentStart)) {
      return { kind: 'skip', reason: { code: 'appointment_passed', message: 'The send window does not open again before the appointment.' } };
    }
    return {
      kind: 'defer',
      until,
      reason: { code: 'outside_send_window', message: `Outside the send window ${rule.sendWindow.start}–${rule.sendWindow.end} (${context.zone}); waiting for it to open.` },
    };
  }
  return { kind: 'send' };
}

/**
 * For a rule with `recheck`, when only its badge conditions failed: the next look, `every` after
 * now (and into the send window), while that is within `within` of the run's start. Consent,
 * suppression and an upcoming booking are never waited out: they end the run.
 */
function recheckAt(run: JourneyRun, rule: JourneyRule, reason: JourneyReason, now: number, tz: IANAZone): number | undefined {
  if (!rule.recheck || (reason.code !== 'badge_missing' && reason.code !== 'badge_excluded')) return undefined;
  const every = parseDuration(rule.recheck.every);
  const within = parseDuration(rule.recheck.within);
  if (!every || !within) throw new RangeError(`rule ${rule.id}: recheck needs durations`);
  const next = shiftBy(now, every, 1, tz);
  const due = rule.sendWindow ? intoWindow(next, rule.sendWindow, tz) : next;
  return due !== undefined && due <= shiftBy(run.startedAt, within, 1, tz) ? due : undefined;
}

function exitEvent(run: JourneyRun, rule: JourneyRule, events: readonly CustomerEvent[]): CustomerEvent | undefined {
  return events.find((event) => {
    if (event.id === run.triggerEventId || event.customerId !== run.customerId) return false;
    const at = Date.parse(event.at);
    if (Number.isNaN(at) || at < run.startedAt) return false;
    if (rule.exitOn?.includes(event.type)) return true;
    return run.bookingId !== undefined && event.bookingId === run.bookingId && (rule.exitOnBooking?.includes(event.type) ?? false);
  });
}

function relevanceProblem(run: JourneyRun, rule: JourneyRule, context: DecideContext): JourneyReason | undefined {
  if (run.appointmentStart !== undefined && context.now >= run.appointmentStart) {
    return { code: 'appointment_passed', message: 'The appointment has already begun.' };
  }
  const action = rule.action;
  if (action.kind === 'mail') {
    if (context.suppressed) return { code: 'suppressed', message: "The customer's address is suppressed (bounce, complaint or erasure): no mail of any kind." };
    if (action.purpose !== 'service' && !context.consent(action.purpose)) {
      return { code: 'no_consent', message: `The customer has not consented to ${action.purpose} mail.` };
    }
  }
  const conditions = rule.conditions;
  if (conditions?.consent && !context.consent(conditions.consent)) {
    return { code: 'no_consent', message: `The journey needs the customer's ${conditions.consent} consent, which they have not given.` };
  }
  if (conditions?.noUpcomingBooking && context.hasUpcomingBooking) {
    return { code: 'upcoming_booking', message: 'The customer already has an upcoming booking.' };
  }
  return badgeProblem(conditions?.badges, context.badges);
}
