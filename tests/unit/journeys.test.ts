import { describe, expect, it } from 'vitest';
import type { ConsentPurpose, CustomerEvent } from '#shared/customers/types';
import { capWindowStart, decideRun, startRuns, type DecideContext, type JourneyRun, type StartContext } from '#shared/journeys/evaluate';
import { DEFAULT_JOURNEYS, journeyRuleSchema, journeyRulesSchema, type JourneyRule } from '#shared/journeys/rules';
import { at, iso } from './support.ts';

/**
 * Journeys: the rule schema, when an event starts a run, and what a due run does. Expected
 * instants carry explicit offsets, so they do not depend on the code under test.
 */

const BERLIN = 'Europe/Berlin';
const rule = (id: string): JourneyRule => {
  const found = DEFAULT_JOURNEYS.find((r) => r.id === id);
  if (!found) throw new Error(`no default journey ${id}`);
  return found;
};
const REBOOK = rule('rebook-after-cancel');
const REVIEW = rule('review-after-visit');
const WIN_BACK = rule('win-back-lapsing');
const NO_SHOW = rule('no-show-risk-reminder');

const consentTo =
  (...purposes: ConsentPurpose[]) =>
  (purpose: ConsentPurpose): boolean =>
    purposes.includes(purpose);

const event = (overrides: Partial<CustomerEvent> & Pick<CustomerEvent, 'type' | 'at'>): CustomerEvent => ({
  id: `ev-${overrides.type}-${overrides.at}`,
  tenantId: 't1',
  customerId: 'c1',
  bookingId: 'b1',
  ...overrides,
});

const startContext = (overrides: Partial<StartContext> = {}): StartContext => ({
  badges: [],
  consent: consentTo('marketing', 'reviews'),
  hasUpcomingBooking: false,
  zone: BERLIN,
  now: at('2026-01-01T00:00:00Z'),
  existingRunKeys: new Set(),
  ...overrides,
});

const decideContext = (now: number, overrides: Partial<DecideContext> = {}): DecideContext => ({
  events: [],
  badges: [],
  consent: consentTo('marketing', 'reviews'),
  hasUpcomingBooking: false,
  suppressed: false,
  sentInWindow: () => 0,
  now,
  zone: BERLIN,
  ...overrides,
});

/** The one run the event starts for the rule, or a failing test. */
function onlyRun(rules: readonly JourneyRule[], trigger: CustomerEvent, context: Partial<StartContext> = {}): JourneyRun {
  const runs = startRuns(rules, trigger, startContext({ now: at(trigger.at), ...context }));
  expect(runs).toHaveLength(1);
  return runs[0] as JourneyRun;
}

const valid = (candidate: unknown): boolean => journeyRuleSchema.safeParse(candidate).success;

describe('the journey rule schema', () => {
  it('accepts the default journeys, which have distinct ids', () => {
    const parsed = journeyRulesSchema.safeParse(DEFAULT_JOURNEYS);

    expect(parsed.error?.issues).toBeUndefined();
    expect(new Set(DEFAULT_JOURNEYS.map((r) => r.id)).size).toBe(4);
  });

  it.each(['P60D', 'P2W', 'PT3H', 'PT90M', 'P1DT2H'])('accepts the duration %s', (after) => {
    expect(valid({ ...REVIEW, wait: { after } })).toBe(true);
    expect(valid({ ...WIN_BACK, frequencyCap: { max: 1, per: after } })).toBe(true);
  });

  it.each(['P1M', 'P1Y', 'PT30S', 'P', 'PT', 'PT0H', 'P0D', 'P400D', '3 hours', 'p1d', 'P1.5D', ''])('rejects the duration "%s"', (bad) => {
    expect(valid({ ...REVIEW, wait: { after: bad } })).toBe(false);
    expect(valid({ ...WIN_BACK, frequencyCap: { max: 1, per: bad } })).toBe(false);
  });

  it('rejects two rules with the same id, naming the second', () => {
    const parsed = journeyRulesSchema.safeParse([REBOOK, { ...REVIEW, id: REBOOK.id }]);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([[1, 'id']]);
  });

  it('rejects an unknown event type as trigger, as exit event and as exit event of the booking', () => {
    expect(valid({ ...REBOOK, trigger: { event: 'paid' } })).toBe(false);
    expect(valid({ ...REBOOK, exitOn: ['booked', 'paid'] })).toBe(false);
    expect(valid({ ...NO_SHOW, exitOnBooking: ['deleted'] })).toBe(false);
    expect(valid({ ...REBOOK, trigger: { event: 'no_show' }, exitOn: ['booked', 'mail_bounced'] })).toBe(true);
  });

  it('rejects unknown keys, a wall time out of range, an empty send window and a booking exit on a customer run', () => {
    expect(valid({ ...REBOOK, priority: 1 })).toBe(false);
    expect(valid({ ...REBOOK, wait: { nextLocal: '24:00' } })).toBe(false);
    expect(valid({ ...REBOOK, sendWindow: { start: '08:00', end: '08:00' } })).toBe(false);
    expect(valid({ ...NO_SHOW, instanceKey: 'customer' })).toBe(false);
    expect(valid({ ...REBOOK, action: { kind: 'mail', template: 'x', purpose: 'spam' } })).toBe(false);
    expect(valid({ ...REBOOK, action: { kind: 'task', title: 'Call the customer' } })).toBe(true);
  });

  it('rejects an unknown template and a template declared with another purpose than its own', () => {
    expect(valid({ ...REBOOK, action: { kind: 'mail', template: 'thanks', purpose: 'marketing' } })).toBe(false);
    const relabelled = journeyRuleSchema.safeParse({ ...REBOOK, action: { kind: 'mail', template: 'win-back', purpose: 'service' } });
    expect(relabelled.success).toBe(false);
    expect(relabelled.error?.issues.map((issue) => issue.path)).toEqual([['action', 'purpose']]);
    expect(valid({ ...REBOOK, action: { kind: 'mail', template: 'extra-reminder', purpose: 'service' } })).toBe(true);
  });

  it('starts runs only from booking events: mail and journey events are not written through the projector', () => {
    expect(valid({ ...REBOOK, trigger: { event: 'mail_sent' } })).toBe(false);
    expect(valid({ ...REBOOK, trigger: { event: 'journey_step' } })).toBe(false);
  });

  it('accepts a day-before wait only on a booking trigger', () => {
    expect(valid({ ...NO_SHOW, trigger: { event: 'cancelled' } })).toBe(false);
    expect(valid({ ...NO_SHOW, trigger: { event: 'rescheduled' } })).toBe(true);
  });
});

describe('the rebook invitation after a cancellation (the issue\u2019s scenario)', () => {
  const cancel = event({ type: 'cancelled', at: '2026-03-10T22:30:00+01:00' });

  it('is due at 09:00 Berlin time the next day for a cancel at 22:30', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, cancel);

    expect(run).toMatchObject({ key: 'rebook-after-cancel#booking#b1', ruleId: REBOOK.id, customerId: 'c1', bookingId: 'b1', triggerEventId: cancel.id });
    expect(iso(run.dueAt)).toBe(iso(at('2026-03-11T09:00:00+01:00')));
  });

  it('is due at 09:00 of the next calendar date for a cancel at 00:30, not the same morning', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, event({ type: 'cancelled', at: '2026-03-11T00:30:00+01:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-03-12T09:00:00+01:00')));
  });

  it('keeps 09:00 on the wall clock when the night in between changes to summer time', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, event({ type: 'cancelled', at: '2026-03-28T22:30:00+01:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-03-29T09:00:00+02:00')));
  });

  it('exits when the customer books again before it is due', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, cancel);
    const rebooked = event({ type: 'booked', at: '2026-03-11T07:45:00+01:00', bookingId: 'b2' });

    const decision = decideRun(run, REBOOK, decideContext(run.dueAt, { events: [cancel, rebooked], hasUpcomingBooking: true }));

    expect(decision).toMatchObject({ kind: 'exit', reason: { code: 'exit_event' } });
  });

  it('does not count the cancel itself or an event from before it as an exit', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, cancel);
    const earlier = event({ type: 'booked', at: '2026-03-01T10:00:00+01:00', bookingId: 'b0' });

    expect(decideRun(run, REBOOK, decideContext(run.dueAt, { events: [earlier, cancel] }))).toEqual({ kind: 'send' });
  });

  it('waits until it is due, then sends once, and a replay of the cancel starts nothing', () => {
    const run = onlyRun(DEFAULT_JOURNEYS, cancel);

    const early = decideRun(run, REBOOK, decideContext(at('2026-03-11T08:59:00+01:00')));
    const due = decideRun(run, REBOOK, decideContext(run.dueAt));
    const replay = startRuns(DEFAULT_JOURNEYS, cancel, startContext({ now: run.dueAt + 1, existingRunKeys: new Set([run.key]) }));

    expect(early).toMatchObject({ kind: 'defer', until: run.dueAt, reason: { code: 'not_due' } });
    expect(due).toEqual({ kind: 'send' });
    expect(replay).toEqual([]);
  });

  it('is not started when the customer already has an upcoming booking, and is skipped when one appears', () => {
    expect(startRuns([REBOOK], cancel, startContext({ hasUpcomingBooking: true }))).toEqual([]);

    const run = onlyRun([REBOOK], cancel);
    expect(decideRun(run, REBOOK, decideContext(run.dueAt, { hasUpcomingBooking: true }))).toMatchObject({ kind: 'skip', reason: { code: 'upcoming_booking' } });
  });

  it('exits when the journey is switched off after the run started', () => {
    const run = onlyRun([REBOOK], cancel);

    expect(decideRun(run, { ...REBOOK, enabled: false }, decideContext(run.dueAt))).toMatchObject({ kind: 'exit', reason: { code: 'rule_disabled' } });
    expect(startRuns([{ ...REBOOK, enabled: false }], cancel, startContext())).toEqual([]);
  });
});

describe('the review request after a visit', () => {
  const visit = event({ type: 'attended', at: '2026-05-06T11:00:00+02:00' });

  it('is due three hours later and goes out with review consent', () => {
    const run = onlyRun([REVIEW], visit, { consent: consentTo('reviews') });

    expect(iso(run.dueAt)).toBe(iso(at('2026-05-06T14:00:00+02:00')));
    expect(decideRun(run, REVIEW, decideContext(run.dueAt, { consent: consentTo('reviews') }))).toEqual({ kind: 'send' });
  });

  it('is not started without review consent, marketing consent alone included', () => {
    expect(startRuns([REVIEW], visit, startContext({ consent: consentTo() }))).toEqual([]);
    expect(startRuns([REVIEW], visit, startContext({ consent: consentTo('marketing', 'service') }))).toEqual([]);
  });

  it('is skipped when the consent is withdrawn before it is due', () => {
    const run = onlyRun([REVIEW], visit);

    expect(decideRun(run, REVIEW, decideContext(run.dueAt, { consent: consentTo('marketing') }))).toMatchObject({ kind: 'skip', reason: { code: 'no_consent' } });
  });

  it('moves into the send window, to 09:00 the next morning, after an evening visit', () => {
    const run = onlyRun([REVIEW], event({ type: 'attended', at: '2026-05-06T18:30:00+02:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-05-07T09:00:00+02:00')));
  });
});

describe('the win-back for lapsing customers', () => {
  const lapsing = { badges: ['lapsing'] };

  it('is first looked at four weeks after the last visit and goes out when the customer is lapsing', () => {
    const run = onlyRun([WIN_BACK], event({ type: 'attended', at: '2026-02-02T10:00:00+01:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-03-02T10:00:00+01:00')));
    expect(decideRun(run, WIN_BACK, decideContext(run.dueAt, lapsing))).toEqual({ kind: 'send' });
  });

  it('looks again every week while the customer is not lapsing yet, keeping the wall time across DST, for half a year', () => {
    const run = onlyRun([WIN_BACK], event({ type: 'attended', at: '2026-02-02T10:00:00+01:00' }));

    // 2026-03-23 → 2026-03-30 crosses Berlin's spring change: still 10:00 on the wall.
    expect(decideRun(run, WIN_BACK, decideContext(at('2026-03-23T10:00:00+01:00')))).toEqual({
      kind: 'defer',
      until: at('2026-03-30T10:00:00+02:00'),
      reason: expect.objectContaining({ code: 'badge_missing' }),
    });
    // 26 weeks after the visit is 2026-08-03 10:00: a look a week before that is the last one.
    expect(decideRun(run, WIN_BACK, decideContext(at('2026-07-27T10:00:00+02:00')))).toMatchObject({ kind: 'defer', until: at('2026-08-03T10:00:00+02:00') });
    expect(decideRun(run, WIN_BACK, decideContext(at('2026-07-27T10:00:01+02:00')))).toMatchObject({ kind: 'skip', reason: { code: 'badge_missing' } });
    // Once lapsing, it goes out.
    expect(decideRun(run, WIN_BACK, decideContext(at('2026-05-04T10:00:00+02:00'), lapsing))).toEqual({ kind: 'send' });
  });

  it('waits out only badges: no consent or an upcoming booking ends the run even with a recheck', () => {
    const run = onlyRun([WIN_BACK], event({ type: 'attended', at: '2026-02-02T10:00:00+01:00' }));

    expect(decideRun(run, WIN_BACK, decideContext(run.dueAt, { consent: consentTo() }))).toMatchObject({ kind: 'skip', reason: { code: 'no_consent' } });
    expect(decideRun(run, WIN_BACK, decideContext(run.dueAt, { hasUpcomingBooking: true }))).toMatchObject({ kind: 'skip', reason: { code: 'upcoming_booking' } });
  });

  it('without a recheck, a missing badge at the due time ends the run', () => {
    const once = { ...WIN_BACK, recheck: undefined };
    const run = onlyRun([once], event({ type: 'attended', at: '2026-02-02T10:00:00+01:00' }));

    expect(decideRun(run, once, decideContext(run.dueAt))).toMatchObject({ kind: 'skip', reason: { code: 'badge_missing' } });
  });

  it('is skipped when the customer has an upcoming booking', () => {
    const run = onlyRun([WIN_BACK], event({ type: 'attended', at: '2026-02-02T10:00:00+01:00' }));

    expect(decideRun(run, WIN_BACK, decideContext(run.dueAt, { ...lapsing, hasUpcomingBooking: true }))).toMatchObject({
      kind: 'skip',
      reason: { code: 'upcoming_booking' },
    });
  });

  it('goes out once in 60 days: a second inside them is skipped, one after them goes out', () => {
    const sends: number[] = [];
    const decideAndRecord = (visitAt: string, bookingId: string) => {
      const run = onlyRun([WIN_BACK], event({ type: 'attended', at: visitAt, bookingId }));
      const asked: Array<[string, string]> = [];
      const decision = decideRun(
        run,
        WIN_BACK,
        decideContext(run.dueAt, {
          ...lapsing,
          sentInWindow: (ruleId, per) => {
            asked.push([ruleId, per]);
            const from = capWindowStart(run.dueAt, per, BERLIN);
            return sends.filter((sent) => sent > from).length;
          },
        }),
      );
      if (decision.kind === 'send') sends.push(run.dueAt);
      expect(asked).toEqual([[WIN_BACK.id, 'P60D']]);
      return decision.kind === 'skip' ? decision.reason.code : decision.kind;
    };

    expect(decideAndRecord('2026-01-05T10:00:00+01:00', 'b1')).toBe('send'); // due 2026-02-02
    expect(decideAndRecord('2026-02-20T10:00:00+01:00', 'b2')).toBe('frequency_capped'); // due 2026-03-20: 46 days later
    expect(decideAndRecord('2026-03-05T10:00:00+01:00', 'b3')).toBe('frequency_capped'); // due 2026-04-02: 59 days later
    expect(decideAndRecord('2026-03-10T10:00:00+01:00', 'b4')).toBe('send'); // due 2026-04-07: 64 days later
  });

  it('counts the cap window in calendar days on the local clock, across the change to summer time', () => {
    expect(iso(capWindowStart(at('2026-05-01T10:00:00+02:00'), 'P60D', BERLIN))).toBe(iso(at('2026-03-02T10:00:00+01:00')));
  });
});

describe('the extra reminder for customers at risk of not showing up', () => {
  const booking = (bookedAt: string, start: string, badges: string[] = ['no_show_risk']) => ({
    trigger: event({ type: 'booked', at: bookedAt, start, channel: 'online' }),
    context: { badges },
  });

  it('is due at 18:00 Berlin time the day before the appointment', () => {
    const { trigger, context } = booking('2026-06-01T12:00:00+02:00', '2026-06-10T09:30:00+02:00');

    const run = onlyRun([NO_SHOW], trigger, context);

    expect(iso(run.dueAt)).toBe(iso(at('2026-06-09T18:00:00+02:00')));
    expect(run.appointmentStart).toBe(at('2026-06-10T09:30:00+02:00'));
  });

  it('is not started without the badge, or when the booking comes after 18:00 the day before', () => {
    const plain = booking('2026-06-01T12:00:00+02:00', '2026-06-10T09:30:00+02:00', []);
    const late = booking('2026-06-09T19:00:00+02:00', '2026-06-10T09:30:00+02:00');

    expect(startRuns([NO_SHOW], plain.trigger, startContext({ now: at(plain.trigger.at), ...plain.context }))).toEqual([]);
    expect(startRuns([NO_SHOW], late.trigger, startContext({ now: at(late.trigger.at), ...late.context }))).toEqual([]);
  });

  it('is a service mail: it goes out without marketing consent', () => {
    const { trigger, context } = booking('2026-06-01T12:00:00+02:00', '2026-06-10T09:30:00+02:00');
    const run = onlyRun([NO_SHOW], trigger, { ...context, consent: consentTo() });

    expect(decideRun(run, NO_SHOW, decideContext(run.dueAt, { consent: consentTo() }))).toEqual({ kind: 'send' });
  });

  it('exits when its own booking is cancelled, not when another one is', () => {
    const { trigger, context } = booking('2026-06-01T12:00:00+02:00', '2026-06-10T09:30:00+02:00');
    const run = onlyRun([NO_SHOW], trigger, context);
    const otherCancelled = event({ type: 'cancelled', at: '2026-06-05T10:00:00+02:00', bookingId: 'b9' });
    const ownCancelled = event({ type: 'cancelled', at: '2026-06-05T11:00:00+02:00', bookingId: 'b1' });

    expect(decideRun(run, NO_SHOW, decideContext(run.dueAt, { events: [otherCancelled] }))).toEqual({ kind: 'send' });
    expect(decideRun(run, NO_SHOW, decideContext(run.dueAt, { events: [otherCancelled, ownCancelled] }))).toMatchObject({
      kind: 'exit',
      reason: { code: 'exit_event' },
    });
  });

  it('is skipped once the appointment has begun', () => {
    const { trigger, context } = booking('2026-06-01T12:00:00+02:00', '2026-06-10T09:30:00+02:00');
    const run = onlyRun([NO_SHOW], trigger, context);

    expect(decideRun(run, NO_SHOW, decideContext(at('2026-06-10T09:30:00+02:00')))).toMatchObject({ kind: 'skip', reason: { code: 'appointment_passed' } });
  });
});

describe('suppression', () => {
  it('blocks marketing mail', () => {
    const run = onlyRun([REBOOK], event({ type: 'cancelled', at: '2026-03-10T22:30:00+01:00' }));

    expect(decideRun(run, REBOOK, decideContext(run.dueAt, { suppressed: true }))).toMatchObject({ kind: 'skip', reason: { code: 'suppressed' } });
  });

  it('blocks service mail too', () => {
    const run = onlyRun([NO_SHOW], event({ type: 'booked', at: '2026-06-01T12:00:00+02:00', start: '2026-06-10T09:30:00+02:00' }), { badges: ['no_show_risk'] });

    expect(decideRun(run, NO_SHOW, decideContext(run.dueAt, { suppressed: true }))).toMatchObject({ kind: 'skip', reason: { code: 'suppressed' } });
  });

  it('does not block a staff task, which is no message to the customer', () => {
    const callBack: JourneyRule = { ...NO_SHOW, id: 'call-back', action: { kind: 'task', title: 'Call to confirm' } };
    const run = onlyRun([callBack], event({ type: 'booked', at: '2026-06-01T12:00:00+02:00', start: '2026-06-10T09:30:00+02:00' }), { badges: ['no_show_risk'] });

    expect(decideRun(run, callBack, decideContext(run.dueAt, { suppressed: true }))).toEqual({ kind: 'send' });
  });
});

describe('the send window', () => {
  const evening: JourneyRule = {
    id: 'evening-test',
    name: 'A mail four hours after a visit',
    enabled: true,
    trigger: { event: 'attended' },
    wait: { after: 'PT4H' },
    action: { kind: 'mail', template: 'extra-reminder', purpose: 'service' },
    sendWindow: { start: '08:00', end: '20:00' },
    instanceKey: 'booking',
  };

  it('moves a run due at 22:00 to 08:00 the next day, never earlier', () => {
    const run = onlyRun([evening], event({ type: 'attended', at: '2026-05-06T18:00:00+02:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-05-07T08:00:00+02:00')));
  });

  it('leaves a run due inside the window where it is, and treats the end as outside', () => {
    const inside = onlyRun([evening], event({ type: 'attended', at: '2026-05-06T15:59:00+02:00' }));
    const atEnd = onlyRun([evening], event({ type: 'attended', at: '2026-05-06T16:00:00+02:00' }));

    expect(iso(inside.dueAt)).toBe(iso(at('2026-05-06T19:59:00+02:00')));
    expect(iso(atEnd.dueAt)).toBe(iso(at('2026-05-07T08:00:00+02:00')));
  });

  it('lands on 08:00 summer time when the night it waits through is the change (Berlin, 2026-03-29)', () => {
    const run = onlyRun([evening], event({ type: 'attended', at: '2026-03-28T18:00:00+01:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-03-29T08:00:00+02:00')));
  });

  it('defers a late decision to the next opening, on the local clock across the change', () => {
    const run = onlyRun([evening], event({ type: 'attended', at: '2026-03-28T12:00:00+01:00' }));

    const decision = decideRun(run, evening, decideContext(at('2026-03-28T21:15:00+01:00')));

    expect(decision).toMatchObject({ kind: 'defer', until: at('2026-03-29T08:00:00+02:00'), reason: { code: 'outside_send_window' } });
  });

  it('opens at the jump when the window starts at a wall time the change skips', () => {
    const night: JourneyRule = { ...evening, sendWindow: { start: '02:30', end: '06:00' } };
    const run = onlyRun([night], event({ type: 'attended', at: '2026-03-28T20:00:00+01:00' }));

    expect(iso(run.dueAt)).toBe(iso(at('2026-03-29T03:00:00+02:00')));
  });

  it('wraps past midnight when it starts after it ends', () => {
    const late: JourneyRule = { ...evening, sendWindow: { start: '22:00', end: '02:00' } };
    const inside = onlyRun([late], event({ type: 'attended', at: '2026-05-06T20:30:00+02:00' }));
    const outside = onlyRun([late], event({ type: 'attended', at: '2026-05-06T10:00:00+02:00' }));

    expect(iso(inside.dueAt)).toBe(iso(at('2026-05-07T00:30:00+02:00')));
    expect(iso(outside.dueAt)).toBe(iso(at('2026-05-06T22:00:00+02:00')));
  });
});

describe('trigger filters', () => {
  const online: JourneyRule = { ...REVIEW, id: 'online-only', trigger: { event: 'attended', filters: { channel: 'online', serviceIds: ['cut'] } } };

  it('start a run only for events that carry the filtered values', () => {
    const base = { type: 'attended' as const, at: '2026-05-06T11:00:00+02:00' };

    expect(startRuns([online], event({ ...base, channel: 'online', serviceId: 'cut' }), startContext())).toHaveLength(1);
    expect(startRuns([online], event({ ...base, channel: 'staff', serviceId: 'cut' }), startContext())).toEqual([]);
    expect(startRuns([online], event({ ...base, channel: 'online', serviceId: 'colour' }), startContext())).toEqual([]);
    expect(startRuns([online], event({ ...base, channel: 'online' }), startContext())).toEqual([]);
  });

  it('ignore events of other types', () => {
    expect(startRuns(DEFAULT_JOURNEYS, event({ type: 'mail_sent', at: '2026-05-06T11:00:00+02:00' }), startContext())).toEqual([]);
  });
});
