import * as z from 'zod';

/**
 * The thresholds persona badges are assigned by (personas.ts), apart from the badge code so the
 * tenant file's schema can include them without carrying the badge texts into every bundle.
 */

const positive = z.number().positive();
const count = z.number().int().min(1);
const share = z.number().min(0).max(1);

/** Part of the tenant config; every field has a default, so `{}` is a valid config. */
export const personaThresholdsSchema = z
  .strictObject({
    /** Visits before someone counts as a regular (two at least: a rhythm needs an interval). */
    regularMinVisits: z.number().int().min(2).default(3),
    /** Visits before the customer's own mean interval is trusted as their cadence. */
    cadenceMinVisits: z.number().int().min(2).default(3),
    /** The cadence assumed below `cadenceMinVisits`, in days. */
    fallbackCadenceDays: positive.default(42),
    /** Lapsing once days since the last visit exceed cadence × this… */
    lapsingFactor: positive.default(1.5),
    /** …and lost once they exceed cadence × this. */
    lostFactor: positive.default(3),
    /** After hours when at least this share of bookings (with a known flag) were made outside opening hours… */
    afterHoursMinShare: share.default(0.5),
    /** …out of at least this many. */
    afterHoursMinBookings: count.default(3),
    /** A planner books at least this far ahead on average… */
    plannerMinLeadHours: positive.default(14 * 24),
    /** …a last-minute customer at most this far. */
    lastMinuteMaxLeadHours: positive.default(24),
    /** Bookings with a known lead time before either is said. */
    leadTimeMinBookings: count.default(2),
    /** No-show risk when the smoothed no-show rate is at least this… */
    noShowRiskRate: share.default(0.2),
    /** …and there are this many appointments with a known outcome… */
    noShowMinBookings: count.default(3),
    /** …or the last no-show was at most this many days ago. */
    noShowRecentDays: positive.default(90),
    /** Top spender from this much spent, per currency (ISO 4217 code → amount). */
    topSpender: z.record(z.string().regex(/^[A-Z]{3}$/), positive).default({ EUR: 500 }),
  })
  .refine((t) => t.lostFactor > t.lapsingFactor, { message: 'lostFactor must be greater than lapsingFactor', path: ['lostFactor'] })
  .refine((t) => t.lastMinuteMaxLeadHours < t.plannerMinLeadHours, {
    message: 'lastMinuteMaxLeadHours must be less than plannerMinLeadHours',
    path: ['lastMinuteMaxLeadHours'],
  });

export type PersonaThresholds = z.output<typeof personaThresholdsSchema>;
export type PersonaThresholdsInput = z.input<typeof personaThresholdsSchema>;

export const DEFAULT_PERSONA_THRESHOLDS: PersonaThresholds = Object.freeze(personaThresholdsSchema.parse({}));
