import { IANAZone } from 'luxon';
import * as z from 'zod';
import { reminderPolicySchema } from './reminders.ts';
import { DEFAULT_PERSONA_THRESHOLDS, personaThresholdsSchema, type PersonaThresholds } from '../customers/persona-thresholds.ts';
// Type only: journeys/rules.ts imports idSchema from here, a value import back would be a cycle.
import type { JourneySettings } from '../journeys/rules.ts';

/** All slot arithmetic happens on a 5-minute grid of UTC instants (see slots.ts). */
export const UNIT_MINUTES = 5;

export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "-" or "_"');

/** An IANA zone name ("Europe/Berlin", "UTC"); luxon would also take fixed offsets like "+02:00", which have no DST rules. */
export const timeZoneSchema = z
  .string()
  .refine((value) => /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value) && IANAZone.isValidZone(value), {
    message: 'must be an IANA time zone such as Europe/Berlin',
  });

export const localeSchema = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag such as de or en-GB');

export const localDateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** "HH:mm" on the 5-minute grid; "24:00" is allowed as the end of a day. */
export const clockTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:mm between 00:00 and 24:00')
  .refine((value) => minutesOfDay(value) % UNIT_MINUTES === 0, {
    message: `must be on a ${UNIT_MINUTES}-minute boundary`,
  });

export const minutesOfDay = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export const timeRangeSchema = z
  .tuple([clockTimeSchema, clockTimeSchema])
  .refine(([start, end]) => minutesOfDay(start) < minutesOfDay(end), { message: 'start must be before end' });

/** Several ranges a day express breaks; they must be sorted and must not overlap. */
export const dayHoursSchema = z.array(timeRangeSchema).superRefine((ranges, ctx) => {
  for (let i = 1; i < ranges.length; i += 1) {
    const previous = ranges[i - 1];
    const current = ranges[i];
    if (previous && current && minutesOfDay(current[0]) < minutesOfDay(previous[1])) {
      ctx.addIssue({ code: 'custom', path: [i], message: 'ranges must be sorted and must not overlap' });
    }
  }
});

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export const weeklyHoursSchema = z.strictObject({
  mon: dayHoursSchema.default([]),
  tue: dayHoursSchema.default([]),
  wed: dayHoursSchema.default([]),
  thu: dayHoursSchema.default([]),
  fri: dayHoursSchema.default([]),
  sat: dayHoursSchema.default([]),
  sun: dayHoursSchema.default([]),
});

export const dateExceptionSchema = z.strictObject({
  date: localDateSchema,
  /** Empty = closed that day; otherwise these hours replace the weekly hours. */
  hours: dayHoursSchema,
  note: z.string().max(200).optional(),
});

const minutes = (max: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(max)
    .refine((value) => value % UNIT_MINUTES === 0, { message: `must be a multiple of ${UNIT_MINUTES}` });

/** A service's fields apart from its id (the body of a service update). */
const serviceFields = {
  name: z.string().min(1).max(120),
  description: z.string().max(1000).optional(),
  durationMinutes: minutes(480).refine((value) => value > 0, { message: 'must be positive' }),
  bufferBeforeMinutes: minutes(240).default(0),
  bufferAfterMinutes: minutes(240).default(0),
  /** Defaults to the duration. */
  slotIntervalMinutes: minutes(480)
    .refine((value) => value > 0, { message: 'must be positive' })
    .optional(),
  minNoticeMinutes: z.number().int().min(0).max(525_600).default(0),
  horizonDays: z.number().int().min(0).max(730).default(60),
  maxPerDayPerProvider: z.number().int().min(1).max(500).optional(),
  price: z.strictObject({ amount: z.number().min(0), currency: z.string().regex(/^[A-Z]{3}$/) }).optional(),
  providerIds: z.array(idSchema).min(1),
  active: z.boolean().default(true),
};

const withinEightHours = <T extends { bufferBeforeMinutes: number; durationMinutes: number; bufferAfterMinutes: number }>(s: T) =>
  s.bufferBeforeMinutes + s.durationMinutes + s.bufferAfterMinutes <= 480;
const eightHoursIssue = { message: 'duration plus buffers must not exceed 8 hours', path: ['durationMinutes'] };

export const serviceSchema = z.strictObject({ id: idSchema, ...serviceFields }).refine(withinEightHours, eightHoursIssue);
export const serviceUpdateSchema = z.strictObject(serviceFields).refine(withinEightHours, eightHoursIssue);

/** What an admin edits about a provider apart from the calendar (hours and exceptions have their own routes). */
export const providerProfileSchema = z.strictObject({
  name: z.string().min(1).max(120),
  email: z.email().optional(),
  timeZone: timeZoneSchema.optional(),
  /** Send the provider a copy of every booking, reschedule and cancellation mail about them. */
  notifyOnBookingChanges: z.boolean().default(false),
});

export const providerSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(120),
  email: z.email().optional(),
  timeZone: timeZoneSchema.optional(),
  weeklyHours: weeklyHoursSchema,
  exceptions: z
    .array(dateExceptionSchema)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((exception, index) => {
        if (seen.has(exception.date)) {
          ctx.addIssue({ code: 'custom', path: [index, 'date'], message: 'date is listed twice' });
        }
        seen.add(exception.date);
      });
    }),
  active: z.boolean().default(true),
  /** Send the provider a copy of every booking, reschedule and cancellation mail about them. */
  notifyOnBookingChanges: z.boolean().default(false),
});

export const tenantPolicySchema = z.strictObject({
  selfServiceCutoffMinutes: z.number().int().min(0).max(43_200),
});

/** Days a customer's timeline events are kept when the tenant sets nothing: two years (decision 62). */
export const DEFAULT_TIMELINE_RETENTION_DAYS = 730;

/** The tenant's persona thresholds: its own where set, the defaults otherwise. */
export const personaThresholdsOf = (tenant: { customers?: { personas?: PersonaThresholds | undefined } | undefined }): PersonaThresholds =>
  tenant.customers?.personas ?? DEFAULT_PERSONA_THRESHOLDS;

const consentText = z.string().trim().min(10).max(600);

/** The customer side's settings; absent, the defaults apply. */
export const tenantCustomersSchema = z.strictObject({
  /** Days a timeline event is kept after it happened; the table's TTL then removes it. */
  timelineRetentionDays: z.number().int().min(30).max(3650).optional(),
  /** Where persona badges start (regular after n visits, lapsing at cadence × f, …); unset fields keep their defaults. */
  personas: personaThresholdsSchema.optional(),
  /**
   * The marketing opt-in the booking page shows, per language, and the version recorded with each
   * consent (`<version>-<lang>`), so what a customer agreed to can be shown later; and the
   * business's privacy notice. Absent: the page's built-in text and notice.
   */
  consent: z
    .strictObject({
      version: z.string().regex(/^[\w.-]{1,30}$/, 'must be 1-30 letters, digits, ".", "-" or "_"'),
      marketing: z.strictObject({ de: consentText, en: consentText, es: consentText }).partial().refine((texts) => Object.keys(texts).length > 0, {
        message: 'give the text in at least one language',
      }),
      privacyUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
    })
    .optional(),
});

/**
 * The opening hours a business shows its customers ("Mon-Fri 08:00-18:00"). Display only:
 * bookable times always come from each provider's own hours.
 */
export const openingHoursSchema = weeklyHoursSchema;

export const tenantFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema,
    name: z.string().min(1).max(120),
    timeZone: timeZoneSchema,
    locale: localeSchema,
    /** ISO 3166 country used to read national phone numbers. */
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
    policy: tenantPolicySchema,
    openingHours: openingHoursSchema.optional(),
    /** When customers get reminders; without it, DEFAULT_REMINDER_POLICY (reminders.ts) applies. */
    reminders: reminderPolicySchema.optional(),
    /** Customer timeline retention; without it, DEFAULT_TIMELINE_RETENTION_DAYS. */
    customers: tenantCustomersSchema.optional(),
    services: z.array(serviceSchema),
    providers: z.array(providerSchema),
  })
  .superRefine((tenant, ctx) => {
    const providerIds = new Set(tenant.providers.map((p) => p.id));
    const uniqueIds = (items: { id: string }[], key: 'services' | 'providers') => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [key, index, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    };
    uniqueIds(tenant.services, 'services');
    uniqueIds(tenant.providers, 'providers');
    tenant.services.forEach((service, s) => {
      service.providerIds.forEach((providerId, p) => {
        if (!providerIds.has(providerId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', s, 'providerIds', p],
            message: `unknown provider "${providerId}"`,
          });
        }
      });
    });
  });

export type TimeRange = z.infer<typeof timeRangeSchema>;
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
export type DateException = z.infer<typeof dateExceptionSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type TenantPolicy = z.infer<typeof tenantPolicySchema>;
export type TenantFile = z.infer<typeof tenantFileSchema>;
export type TenantFileInput = z.input<typeof tenantFileSchema>;

/** What the API and the engine work with: the file's content with defaults applied. */
export interface TenantConfig {
  tenant: Omit<TenantFile, 'services' | 'providers' | '$schema'>;
  services: Service[];
  providers: Provider[];
  /** The tenant's journeys as the admin saved them; absent until then (DEFAULT_JOURNEYS apply). */
  journeys?: JourneySettings | undefined;
}

export const customerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  // Trimmed before it is checked: "ana@example.com " pasted from somewhere is a valid address.
  email: z.string().trim().max(254).pipe(z.email({ message: 'must be a valid e-mail address' })),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a phone number')
    .optional(),
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  /**
   * Marketing consent, an unticked opt-in on the booking form: only `true` records consent (with
   * the text version the customer saw); absent or `false` records nothing and revokes nothing.
   */
  marketingConsent: z.boolean().optional(),
  consentTextVersion: z.string().trim().min(1).max(40).optional(),
});
export type Customer = z.infer<typeof customerSchema>;

export const bookingStatusSchema = z.enum(['confirmed', 'cancelled']);
export type BookingStatus = z.infer<typeof bookingStatusSchema>;

export const attendanceSchema = z.enum(['attended', 'no_show']);
export type Attendance = z.infer<typeof attendanceSchema>;

/** Where a booking was made: online by the customer, or by staff on the customer's behalf. */
export const bookingChannelSchema = z.enum(['online', 'staff']);

/** A booking as stored and as returned by the API (instants are UTC ISO-8601). */
export const bookingSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  serviceId: z.string(),
  providerId: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  timeZone: z.string(),
  status: bookingStatusSchema,
  customer: customerSchema,
  notes: z.string().optional(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  cancelledAt: z.iso.datetime().optional(),
  cancelReason: z.string().optional(),
  channel: bookingChannelSchema.optional(),
  /** Set when staff placed or moved it outside the rules (working hours, notice, horizon). */
  override: z.object({ reason: z.string() }).optional(),
  attendance: attendanceSchema.optional(),
  attendanceMarkedAt: z.iso.datetime().optional(),
});
export type Booking = z.infer<typeof bookingSchema>;
