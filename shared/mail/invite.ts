import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from 'ical-generator';

/**
 * The iTIP invitation (RFC 5546 over RFC 5545) attached to the customer's mails about a booking
 * change: a REQUEST that adds or moves the event in the customer's calendar, or a CANCEL that
 * removes it.
 */

export interface InviteInput {
  method: 'REQUEST' | 'CANCEL';
  bookingId: string;
  /** The booking's version after the change. */
  sequence: number;
  /** Epoch ms. */
  start: number;
  end: number;
  /** Epoch ms: when the change was made. */
  stamp: number;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
}

export interface RenderedInvite {
  method: 'REQUEST' | 'CANCEL';
  content: string;
  filename: string;
}

/** RFC 5545 §3.7.3; ical-generator adds the leading "-" itself (see provider-feed.ts). */
const PRODUCT_ID = '//Kairos//Booking invitation//EN';

/**
 * The same UID domain as the provider feed (shared/calendar/provider-feed.ts): one booking is one
 * event wherever it appears. tests/unit/mail-invite.test.ts compares the two.
 */
const UID_DOMAIN = 'kairos';

export const INVITE_FILENAME = 'invite.ics';

export function renderInvite(input: InviteInput): RenderedInvite {
  const cancel = input.method === 'CANCEL';
  const calendar = ical({
    prodId: PRODUCT_ID,
    // RFC 5546 §1.4: METHOD makes this a scheduling message rather than a published calendar;
    // mail clients show a REQUEST as an invitation and apply a CANCEL to the event with its UID.
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No `timezone`, as in the provider feed: with it ical-generator writes the host process's
    // local clock fields without Z or TZID, so the invitation would depend on the server's TZ.
    // Without it every date-time below is a UTC instant in the Z form (RFC 5545 §3.3.5 form 2),
    // which every client reads and which needs no VTIMEZONE.
  });

  calendar.createEvent({
    // RFC 5545 §3.8.4.7 and RFC 5546 §2.1.5: the UID identifies the event across every message
    // about it, so the reschedule's REQUEST replaces the first one and the CANCEL removes it.
    // It is the provider feed's UID for the same booking.
    id: `${input.bookingId}@${UID_DOMAIN}`,
    // RFC 5545 §3.8.7.4 and RFC 5546 §2.1.4: the organizer raises SEQUENCE with every significant
    // revision (a reschedule, a cancellation), and a client ignores a message whose SEQUENCE is
    // lower than the one it holds. The booking's version grows by one with every change, so a
    // CANCEL always carries a higher SEQUENCE than the last REQUEST, as RFC 5546 §3.2.5 requires.
    // (The provider feed writes version - 1 so its first revision is 0; the two never meet in one
    // calendar, since the feed is the provider's and the invitations are the customer's.)
    sequence: input.sequence,
    // RFC 5545 §3.8.7.2: with METHOD, DTSTAMP is when this iCalendar object was created. The
    // object describes one change and is created by it; stamping the change rather than the
    // render keeps a retried send byte-identical, and orders messages the way RFC 5546 §2.1.5
    // expects when two share a SEQUENCE.
    stamp: new Date(input.stamp),
    start: new Date(input.start),
    end: new Date(input.end),
    summary: input.summary,
    // The manage link travels in DESCRIPTION only, not in URL: ical-generator TEXT-escapes the URL
    // property (a "," or ";" gets a backslash), which corrupts a URI value (RFC 5545 §3.3.13).
    description: input.description,
    location: { title: input.location },
    // RFC 5546 §3.2.2 (REQUEST) allows TENTATIVE or CONFIRMED; §3.2.5 (CANCEL) wants CANCELLED
    // when the whole event is cancelled.
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // RFC 5545 §3.8.2.7: the appointment is busy time in the customer's calendar.
    transparency: ICalEventTransparency.OPAQUE,
    // RFC 5546 §3.2.2 and §3.2.5: both methods require the ORGANIZER; the business sends the
    // invitation and would receive any reply.
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      {
        ...(input.attendee.name.trim() ? { name: input.attendee.name } : {}),
        email: input.attendee.email,
        // RFC 5545 §3.2.16: the customer is required at their own appointment.
        role: ICalAttendeeRole.REQ,
        // RFC 5545 §3.2.12: the customer booked (or accepted a move of) the appointment, so the
        // participation is already ACCEPTED; a CANCEL says nothing about it.
        ...(cancel ? {} : { status: ICalAttendeeStatus.ACCEPTED }),
        // RFC 5545 §3.2.17: no reply is expected; the manage link, not an iTIP REPLY, is how a
        // customer changes a booking, and a REPLY would only land in the business's inbox.
        rsvp: false,
      },
    ],
  });

  // ical-generator ends the last line without CRLF; RFC 5545 §3.1 ends every content line with
  // one, and some parsers drop an unterminated END:VCALENDAR.
  return { method: input.method, content: `${calendar.toString()}\r\n`, filename: INVITE_FILENAME };
}
