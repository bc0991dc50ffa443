import * as z from 'zod';
import type { ConsentPurpose, CustomerEventType } from '../customers/types.ts';
import { idSchema } from '../domain/schemas.ts';
import { DAY_MS, nominalMs, parseDuration } from './local-time.ts';

/**
 * A tenant's journey rules: when a customer event starts a run, what must still hold when the
 * run is due, when it is due, and what it then does (a mail or a staff task). The evaluation
 * lives in evaluate.ts; this module is the rule's shape and the defaults every tenant starts with.
 */

/** Every CustomerEventType, once: the mapped type fails to compile when types.ts gains one. */
const customerEventTypes = {
  booked: 'booked',
  rescheduled: 'rescheduled',
  cancelled: 'cancelled',
  attended: 'attended',
  no_show: 'no_show',
  mail_sent: 'mail_sent',
  mail_bounced: 'mail_bounced',
  journey_step: 'journey_step',
} as const satisfies { [Type in CustomerEventType]: Type };

export const customerEventTypeSchema = z.enum(customerEventTypes);

/**
 * What can start a run: the booking events the stream projector derives. Mail and journey events
 * are written by the sender and the runner themselves, never through the projector, so a rule
 * triggered by them would silently never run (and one journey starting another invites loops).
 */
export const triggerEventSchema = z.enum(['booked', 'rescheduled', 'cancelled', 'attended', 'no_show']);

/**
 * The mails a journey can send, each with the purpose it serves. The purpose is the template's,
 * not the rule author's: a win-back offer declared a "service" message would skip the consent
 * check, so a rule must name the template's own purpose (checked below).
 */
export const JOURNEY_TEMPLATES = {
  'rebook-invitation': 'marketing',
  'review-request': 'reviews',
  'win-back': 'marketing',
  'extra-reminder': 'service',
} as const satisfies Record<string, ConsentPurpose>;
export type JourneyTemplate = keyof typeof JOURNEY_TEMPLATES;
export const isJourneyTemplate = (kind: string): kind is JourneyTemplate => Object.hasOwn(JOURNEY_TEMPLATES, kind);
export const journeyTemplateSchema = z.enum(Object.keys(JOURNEY_TEMPLATES) as [JourneyTemplate, ...JourneyTemplate[]]);

export const MAX_WAIT_DAYS = 366;
export const MAX_DAYS_BEFORE_START = 14;

/** An ISO-8601 duration of weeks, days, hours and minutes; see parseDuration in local-time.ts. */
export const journeyDurationSchema = z.string().superRefine((text, ctx) => {
  const duration = parseDuration(text);
  if (!duration) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO-8601 duration of weeks, days, hours and minutes ("P60D", "P2W", "PT3H", "P1DT2H"); months, years and seconds are not accepted',
    });
  } else if (nominalMs(duration) === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
  } else if (nominalMs(duration) > MAX_WAIT_DAYS * DAY_MS) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_WAIT_DAYS} days` });
  }
});

/** A local wall time "HH:mm" from 00:00 to 23:59. */
export const wallTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm between 00:00 and 23:59');

const badgeSetSchema = z
  .strictObject({
    all: z.array(z.string().min(1)).min(1).optional(),
    none: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((set) => !(set.all ?? []).some((badge) => (set.none ?? []).includes(badge)), { message: 'a badge cannot be both required and excluded' });

export const consentPurposeSchema = z.enum(['service', 'marketing', 'reviews']);

export const journeyRuleSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().trim().min(1).max(120),
    enabled: z.boolean(),
    trigger: z.strictObject({
      event: triggerEventSchema,
      /** Read when the event happens; an event without the field does not match a filter on it. */
      filters: z
        .strictObject({
          channel: z.enum(['online', 'staff']).optional(),
          serviceIds: z.array(idSchema).min(1).optional(),
          providerIds: z.array(idSchema).min(1).optional(),
          /**
           * The customer's badges when the event happens (no_show_risk on a booking). Compare
           * conditions.badges, read when the run is due (lapsing, weeks after the last visit).
           */
          badges: badgeSetSchema.optional(),
        })
        .optional(),
    }),
    /**
     * What must hold for the action to go out. consent and noUpcomingBooking are checked when the
     * event starts a run and again when it is due; badges only when it is due (see filters.badges).
     */
    conditions: z
      .strictObject({
        badges: badgeSetSchema.optional(),
        consent: consentPurposeSchema.optional(),
        noUpcomingBooking: z.boolean().optional(),
      })
      .optional(),
    /**
     * When the run is due, from the event:
     * - after: a duration later (days on the wall clock, hours exact);
     * - nextLocal: that wall time on the NEXT calendar day in the zone (a cancel at 22:30 and
     *   one at 00:30 both get 09:00 of the following date);
     * - daysBeforeStart + at: that wall time so many calendar days before the appointment
     *   (booked/rescheduled events, which carry the start).
     */
    wait: z.union([
      z.strictObject({ after: journeyDurationSchema }),
      z.strictObject({ nextLocal: wallTimeSchema }),
      z.strictObject({ daysBeforeStart: z.int().min(1).max(MAX_DAYS_BEFORE_START), at: wallTimeSchema }),
    ]),
    action: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('mail'), template: journeyTemplateSchema, purpose: consentPurposeSchema }),
      z.strictObject({ kind: z.literal('task'), title: z.string().trim().min(1).max(200) }),
    ]),
    /** Local wall times [start, end) in which the action may go out; start > end wraps past midnight. */
    sendWindow: z
      .strictObject({ start: wallTimeSchema, end: wallTimeSchema })
      .refine((w) => w.start !== w.end, { message: 'the send window must end at a different time than it starts', path: ['end'] })
      .optional(),
    /** At most `max` actions of this rule per customer within any `per` before the send. */
    frequencyCap: z.strictObject({ max: z.int().min(1).max(100), per: journeyDurationSchema }).optional(),
    /**
     * When the badge conditions do not hold yet at the due time, look again every `every` until
     * `within` after the run started, instead of ending the run: "lapsing" arrives on the
     * customer's own cadence, which no fixed wait can know.
     */
    recheck: z.strictObject({ every: journeyDurationSchema, within: journeyDurationSchema }).optional(),
    /** One run per booking (a cancelled booking gets one rebook invitation) or per customer. */
    instanceKey: z.enum(['booking', 'customer']),
    /** Any of the customer's events of these types after the run started ends it (booked after a cancel). */
    exitOn: z.array(customerEventTypeSchema).min(1).optional(),
    /** Only events about the run's own booking end it (its cancellation ends its extra reminder). */
    exitOnBooking: z.array(customerEventTypeSchema).min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action.kind === 'mail' && JOURNEY_TEMPLATES[rule.action.template] !== rule.action.purpose) {
      ctx.addIssue({
        code: 'custom',
        path: ['action', 'purpose'],
        message: `the template "${rule.action.template}" is a ${JOURNEY_TEMPLATES[rule.action.template]} message`,
      });
    }
    if (rule.exitOnBooking && rule.instanceKey !== 'booking') {
      ctx.addIssue({ code: 'custom', path: ['exitOnBooking'], message: 'needs instanceKey "booking": a customer run has no booking of its own' });
    }
    if ('daysBeforeStart' in rule.wait) {
      if (rule.trigger.event !== 'booked' && rule.trigger.event !== 'rescheduled') {
        ctx.addIssue({ code: 'custom', path: ['wait'], message: 'daysBeforeStart needs a booked or rescheduled trigger, whose event carries the appointment' });
      }
      if (rule.instanceKey !== 'booking') {
        ctx.addIssue({ code: 'custom', path: ['instanceKey'], message: 'daysBeforeStart is about one appointment: use instanceKey "booking"' });
      }
    }
  });

export const journeyRulesSchema = z.array(journeyRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `rule id "${rule.id}" is used twice` });
    seen.add(rule.id);
  });
});

export type JourneyRule = z.infer<typeof journeyRuleSchema>;

/** A tenant's journey configuration: the rules, and where a review request sends the customer. */
export const journeySettingsSchema = z.strictObject({
  rules: journeyRulesSchema.max(50),
  /** The review page (Google, a booking platform, the business's own). Without it review requests are skipped. */
  reviewUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
});
export type JourneySettings = z.infer<typeof journeySettingsSchema>;
export type JourneyAction = JourneyRule['action'];
export type JourneyWait = JourneyRule['wait'];

/**
 * What a tenant starts with. All are marketing-ish except the extra reminder, so all but that one
 * keep to daytime and need the customer's consent.
 */
export const DEFAULT_JOURNEYS: readonly JourneyRule[] = Object.freeze([
  {
    id: 'rebook-after-cancel',
    name: 'Invite to rebook after a cancellation',
    enabled: true,
    trigger: { event: 'cancelled' },
    conditions: { consent: 'marketing', noUpcomingBooking: true },
    wait: { nextLocal: '09:00' },
    action: { kind: 'mail', template: 'rebook-invitation', purpose: 'marketing' },
    sendWindow: { start: '08:00', end: '20:00' },
    instanceKey: 'booking',
    exitOn: ['booked'],
  },
  {
    id: 'review-after-visit',
    name: 'Ask for a review after a visit',
    enabled: true,
    trigger: { event: 'attended' },
    // The issue says "only with marketing consent". The consent ledger has its own purpose for
    // review requests, and such a request counts as advertising (it needs an opt-in), so the
    // rule asks for the 'reviews' consent: a customer who agreed to review requests but not to
    // promotions gets this mail, one who agreed only to promotions does not. Every customer with
    // that consent is asked, whatever rating we might expect: asking only the happy ones would
    // skew the reviews, and review platforms forbid such gating.
    conditions: { consent: 'reviews' },
    wait: { after: 'PT3H' },
    action: { kind: 'mail', template: 'review-request', purpose: 'reviews' },
    sendWindow: { start: '09:00', end: '20:00' },
    instanceKey: 'booking',
  },
  {
    id: 'win-back-lapsing',
    name: 'Win back a customer who is lapsing',
    enabled: true,
    // Badges are no events: the last visit starts the clock, and the lapsing badge (traits,
    // computed from the customer's own visit cadence) is read when the run is due, and again
    // every week for half a year until it holds. Any new booking ends it.
    trigger: { event: 'attended' },
    conditions: { badges: { all: ['lapsing'] }, consent: 'marketing', noUpcomingBooking: true },
    wait: { after: 'P4W' },
    recheck: { every: 'P1W', within: 'P26W' },
    action: { kind: 'mail', template: 'win-back', purpose: 'marketing' },
    sendWindow: { start: '09:00', end: '19:00' },
    frequencyCap: { max: 1, per: 'P60D' },
    instanceKey: 'booking',
    exitOn: ['booked'],
  },
  {
    id: 'no-show-risk-reminder',
    name: 'Extra reminder for customers who tend to miss appointments',
    enabled: true,
    trigger: { event: 'booked', filters: { badges: { all: ['no_show_risk'] } } },
    wait: { daysBeforeStart: 1, at: '18:00' },
    action: { kind: 'mail', template: 'extra-reminder', purpose: 'service' },
    instanceKey: 'booking',
    exitOnBooking: ['cancelled', 'rescheduled'],
  },
] satisfies JourneyRule[]);
