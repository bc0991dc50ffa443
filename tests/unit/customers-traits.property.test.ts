import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTraits } from '#shared/customers/traits';
import type { CustomerEvent, CustomerEventType } from '#shared/customers/types';

/**
 * The projector replays stream records at least once and in no guaranteed order, and recomputes
 * traits after each. So computeTraits must not care about the order of the events nor about an
 * event delivered twice. Timelines here are random booking lives (booked, maybe moved, then
 * cancelled, attended, a no-show, or nothing yet), with versions that sometimes repeat within a
 * booking, plus mail events, around a fixed `now`.
 */

const NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const LIFE_STEPS: readonly CustomerEventType[] = ['rescheduled', 'cancelled', 'attended', 'no_show', 'mail_sent'];

const bookingArb = fc.record({
  startHour: fc.integer({ min: -24 * 200, max: 24 * 60 }),
  leadHours: fc.integer({ min: 0, max: 24 * 30 }),
  provider: fc.constantFrom('anna', 'ben', 'cleo'),
  afterHours: fc.option(fc.boolean(), { nil: undefined }),
  price: fc.option(fc.record({ amount: fc.integer({ min: 0, max: 20_000 }).map((cents) => cents / 100), currency: fc.constantFrom('EUR', 'CHF') }), { nil: undefined }),
  steps: fc.array(fc.record({ type: fc.constantFrom(...LIFE_STEPS), versionBump: fc.integer({ min: 0, max: 1 }), moveHours: fc.integer({ min: -72, max: 72 }) }), { maxLength: 4 }),
});

type BookingShape = typeof bookingArb extends fc.Arbitrary<infer T> ? T : never;

/** One booking's events: the booking at version 1, then each step at the same or the next version. */
function bookingEvents(index: number, booking: BookingShape): CustomerEvent[] {
  const id = `bk_${index}`;
  let start = NOW + booking.startHour * HOUR;
  let version = 1;
  const iso = (ms: number) => new Date(ms).toISOString();
  const base = { tenantId: 'acme', customerId: 'cus_1', bookingId: id, providerId: booking.provider, serviceId: 'cut' };
  const events: CustomerEvent[] = [
    {
      ...base,
      id: `${id}.v1.booked`,
      type: 'booked',
      at: iso(start - booking.leadHours * HOUR),
      bookingVersion: 1,
      start: iso(start),
      leadMinutes: booking.leadHours * 60,
      afterHours: booking.afterHours,
      price: booking.price,
    },
  ];
  booking.steps.forEach((step, n) => {
    version += step.versionBump;
    if (step.type === 'rescheduled') start += step.moveHours * HOUR;
    events.push({
      ...base,
      id: `${id}.v${version}.${step.type}.${n}`,
      type: step.type,
      at: iso(start - (step.moveHours + 100) * HOUR),
      bookingVersion: version,
      start: iso(start),
      ...(step.type === 'cancelled' ? { leadMinutes: (step.moveHours + 100) * 60 } : {}),
      ...(step.type === 'attended' ? { price: booking.price } : {}),
    });
  });
  return events;
}

const timelineArb = fc
  .array(bookingArb, { maxLength: 12 })
  .map((bookings) => bookings.flatMap((booking, index) => bookingEvents(index, booking)))
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      // A permutation (sort keys) and which events are delivered a second time.
      keys: fc.array(fc.double({ noNaN: true }), { minLength: events.length, maxLength: events.length }),
      repeats: fc.subarray(events.map((_, index) => index)),
      zone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'),
    }),
  );

describe('computeTraits as the projector replays it', () => {
  it('gives the same traits whatever the order of the events and however many are delivered twice', () => {
    fc.assert(
      fc.property(timelineArb, ({ events, keys, repeats, zone }) => {
        const shuffled = events.map((event, index) => ({ event, key: keys[index] ?? 0 })).sort((a, b) => a.key - b.key).map(({ event }) => event);
        const replayed = [...shuffled, ...repeats.map((index) => structuredClone(events[index] as CustomerEvent))];

        expect(computeTraits(replayed, NOW, zone)).toEqual(computeTraits(events, NOW, zone));
      }),
      { numRuns: 500 },
    );
  });

  it('is a property that notices a trait counted from raw events', () => {
    // The guard on the property above: counting `booked` events, as a naive projection would,
    // does change under a duplicate, so the generator does produce the cases that matter.
    const naiveBookings = (events: readonly CustomerEvent[]) => events.filter((event) => event.type === 'booked').length;
    const counterexample = fc.check(
      fc.property(timelineArb, ({ events, repeats }) => naiveBookings([...events, ...repeats.map((index) => events[index] as CustomerEvent)]) === naiveBookings(events)),
      { numRuns: 200 },
    );

    expect(counterexample.failed).toBe(true);
  });
});
