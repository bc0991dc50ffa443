import ical, { ICalEventStatus, ICalEventTransparency, escape, foldLines } from 'ical-generator';
import type { Booking } from '#shared/domain/schemas';

/** Time a provider has blocked out (holiday, training); instants are UTC ISO-8601. */
export interface FeedBlock {
  id: string;
  start: string;
  end: string;
  reason?: string | undefined;
  createdAt: string;
}

export interface ProviderFeedInput {
  tenant: { id: string; name: string; timeZone: string };
  provider: { id: string; name: string; timeZone: string };
  services: ReadonlyArray<{ id: string; name: string }>;
  /** May include cancelled ones: they are left out of the feed. */
  bookings: readonly Booking[];
  blocks: readonly FeedBlock[];
  /** epoch ms; used only where RFC 5545 needs "now" and nothing better exists */
  generatedAt: number;
}

/**
 * RFC 5545 §3.7.3: PRODID names the product that wrote the calendar. ical-generator prepends the
 * leading "-" (the ISO 9070 "unregistered owner" prefix) itself, so it is not repeated here.
 */
const PRODUCT_ID = '//Kairos//Provider calendar//EN';

/**
 * How often subscribing clients should poll. Bookings change all day, but the feed is an
 * overview, not the system of record, so a quarter of an hour is fresh enough and cheap to serve.
 */
const REFRESH_SECONDS = 15 * 60;

const UID_DOMAIN = 'kairos';

const ATTENDANCE_LABEL: Record<NonNullable<Booking['attendance']>, string> = {
  attended: 'Attended',
  no_show: 'No-show',
};

interface FeedEvent {
  uid: string;
  startMs: number;
  render: (calendar: ReturnType<typeof ical>) => void;
}

/**
 * The provider's confirmed bookings and blocks as an iCalendar feed that calendar apps subscribe to.
 *
 * The output is a pure function of the data: the HTTP handler derives the ETag from these bytes,
 * so anything that varied between two renders of the same data would defeat conditional requests
 * and make every poll a full download. That is also why `generatedAt` is not written anywhere:
 * every timestamp RFC 5545 asks for (DTSTAMP, CREATED, LAST-MODIFIED) has a better source in the
 * booking or block itself, and stamping the render time would change the feed on every poll.
 */
export function renderProviderFeed(input: ProviderFeedInput): string {
  const { tenant, provider } = input;
  const serviceNames = new Map(input.services.map((service) => [service.id, service.name]));

  const calendar = ical({
    prodId: PRODUCT_ID,
    // ical-generator writes NAME and X-WR-CALNAME without escaping them (unlike every event text
    // property), so a comma, semicolon or line break in a business name would corrupt the line.
    // RFC 5545 §3.3.11 TEXT escaping is applied here instead.
    name: escape(`${provider.name} · ${tenant.name}`, false),
    // RFC 7986 §5.7 REFRESH-INTERVAL plus the X-PUBLISHED-TTL that Outlook and older Apple clients
    // read instead; ical-generator emits both from one setting.
    ttl: REFRESH_SECONDS,
    // No METHOD (RFC 5546): this is a published feed, not an iTIP scheduling message; with METHOD
    // some clients treat it as an invitation to accept instead of a calendar to subscribe to.
    //
    // No `timezone` either, on purpose: ical-generator then formats every date with the host
    // process's local clock fields and without a Z or TZID, so the feed would depend on the
    // server's TZ setting and be wrong everywhere but UTC. The zone goes in as X-WR-TIMEZONE below.
  });

  const events: FeedEvent[] = [
    ...input.bookings
      // A feed URL belongs to one provider of one tenant; provider ids are only unique within a
      // tenant, so both are checked to keep another business's customers out of this feed.
      .filter((booking) => booking.status === 'confirmed' && booking.providerId === provider.id && booking.tenantId === tenant.id)
      .map((booking) => bookingEvent(booking, serviceNames.get(booking.serviceId) ?? booking.serviceId)),
    ...input.blocks.map(blockEvent),
  ];

  // Sorted so that the same bookings and blocks give the same bytes whatever order the store
  // returned them in; the UID breaks ties between events that start at the same instant.
  events.sort((a, b) => a.startMs - b.startMs || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  for (const event of events) event.render(calendar);

  return withCalendarTimeZone(calendar.toString(), provider.timeZone) + '\r\n';
}

function bookingEvent(booking: Booking, serviceName: string): FeedEvent {
  const uid = `${booking.id}@${UID_DOMAIN}`;
  return {
    uid,
    startMs: Date.parse(booking.start),
    render: (calendar) => {
      calendar.createEvent({
        // RFC 5545 §3.8.4.7: the UID must stay the same for the life of the booking, so a
        // reschedule updates the event in the subscriber's calendar instead of duplicating it.
        id: uid,
        // RFC 5545 §3.8.7.4: SEQUENCE starts at 0 and grows with every revision; a booking starts
        // at version 1 and every change increments it, so version - 1 follows the same rule.
        sequence: Math.max(0, booking.version - 1),
        // UTC instants (RFC 5545 §3.3.5 form 2, "Z"): every client reads them, and the feed needs
        // no VTIMEZONE definitions that would have to track the tz database.
        start: booking.start,
        end: booking.end,
        // RFC 5545 §3.8.7.2: without a METHOD, DTSTAMP is when the information was last revised in
        // the store, which is exactly updatedAt, and it keeps the render deterministic.
        stamp: booking.updatedAt,
        created: booking.createdAt,
        lastModified: booking.updatedAt,
        summary: `${serviceName} – ${booking.customer.name}`,
        description: bookingDescription(booking),
        status: ICalEventStatus.CONFIRMED,
        // RFC 5545 §3.8.2.7: a booking occupies the provider; stated rather than left to defaults.
        transparency: ICalEventTransparency.OPAQUE,
      });
    },
  };
}

function bookingDescription(booking: Booking): string {
  const { customer } = booking;
  const lines = [`E-mail: ${customer.email}`];
  if (customer.phone) lines.push(`Phone: ${customer.phone}`);
  if (booking.notes) lines.push(`Notes: ${booking.notes}`);
  if (booking.attendance) lines.push(`Attendance: ${ATTENDANCE_LABEL[booking.attendance]}`);
  return lines.join('\n');
}

function blockEvent(block: FeedBlock): FeedEvent {
  const uid = `${block.id}@${UID_DOMAIN}`;
  return {
    uid,
    startMs: Date.parse(block.start),
    render: (calendar) => {
      calendar.createEvent({
        id: uid,
        start: block.start,
        end: block.end,
        // Blocks are not edited in place (they are deleted and created anew), so their creation
        // time is also their last revision: DTSTAMP per RFC 5545 §3.8.7.2.
        stamp: block.createdAt,
        created: block.createdAt,
        summary: block.reason ? `Blocked: ${block.reason}` : 'Blocked',
        // RFC 5545 §3.8.2.7: OPAQUE makes free/busy lookups in the provider's own calendar see the
        // block as busy time, which is the point of blocking it.
        transparency: ICalEventTransparency.OPAQUE,
      });
    },
  };
}

/**
 * Adds X-WR-TIMEZONE (the de-facto property Apple and Google read for the calendar's display zone)
 * among the calendar properties. ical-generator's custom-property hook writes calendar X-props after
 * the last VEVENT, but RFC 5545 §3.6 (icalbody = calprops component) wants calendar properties
 * before the first component, and its `timezone` option cannot be used (see above). Text values
 * never contain a bare line break after escaping and folded lines start with a space, so the first
 * line that begins a component or ends the calendar is found unambiguously.
 */
function withCalendarTimeZone(rendered: string, timeZone: string): string {
  const headerEnd = rendered.search(/\r\n(?:BEGIN:VEVENT|END:VCALENDAR)/);
  if (headerEnd < 0) throw new Error('ical-generator output has no VEVENT or END:VCALENDAR line');
  const line = foldLines(`X-WR-TIMEZONE:${escape(timeZone, false)}`);
  return `${rendered.slice(0, headerEnd)}\r\n${line}${rendered.slice(headerEnd)}`;
}
