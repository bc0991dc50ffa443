import type { MailCatalogue } from './catalogue.ts';

/**
 * English. Apostrophes are typographic (’): in ICU MessageFormat a straight apostrophe next to a
 * brace starts quoted literal text, so a plain one would be a trap for the next edit.
 */
export const en: MailCatalogue = {
  subject: {
    booking_confirmed: {
      customer: 'Booking confirmed: {service} on {date}',
      provider: 'New booking: {customer}, {service} on {date}',
    },
    booking_rescheduled: {
      customer: 'Booking moved: {service}, now on {date}',
      provider: 'Booking moved: {customer}, {service}, now on {date}',
    },
    booking_cancelled: {
      customer: 'Booking cancelled: {service} on {date}',
      provider: 'Booking cancelled: {customer}, {service} on {date}',
    },
    reminder: {
      customer: 'Reminder: your appointment at {business} is {lead}',
      provider: 'Coming up {lead}: {customer}, {service}',
    },
  },
  greeting: 'Hello {name},',
  intro: {
    booking_confirmed: {
      customer: 'Your appointment at {business} is confirmed.',
      provider: '{customer} has booked an appointment: {service} with {provider}.',
    },
    booking_rescheduled: {
      customer: 'Your appointment at {business} has been moved to a new time.',
      provider: '{customer}’s appointment ({service} with {provider}) has been moved to a new time.',
    },
    booking_cancelled: {
      customer: 'Your appointment at {business} has been cancelled.',
      provider: '{customer}’s appointment ({service} with {provider}) has been cancelled.',
    },
    reminder: {
      customer: 'Just a reminder: your appointment at {business} is {lead}.',
      provider: '{customer} has an appointment {lead}: {service} with {provider}.',
    },
  },
  label: {
    service: 'Service',
    provider: 'With',
    when: 'When',
    previously: 'Previously',
    now: 'New time',
    reason: 'Reason',
    yourNotes: 'Your notes',
    notes: 'Notes',
    email: 'Email',
    phone: 'Phone',
  },
  detail: '{label}: {value}',
  zoned: '{time} ({zone})',
  reminderLead: `{unit, select,
    week {{count, plural, =1 {in a week} other {in # weeks}}}
    day {{count, plural, =1 {tomorrow} other {in # days}}}
    hour {{count, plural, =1 {in an hour} other {in # hours}}}
    minute {{count, plural, =1 {in a minute} other {in # minutes}}}
    other {in {hours, plural, =1 {an hour} other {# hours}} and {minutes, plural, =1 {a minute} other {# minutes}}}
  }`,
  manageText: '{state, select, cancelled {You can view the booking here:} other {To reschedule or cancel your appointment, use this link:}}',
  manageButton: '{state, select, cancelled {View booking} other {Manage booking}}',
  inviteNote: {
    booking_confirmed: 'Use the attached invitation to add the appointment to your calendar.',
    booking_rescheduled: 'Use the attached update to move the appointment in your calendar.',
    booking_cancelled: 'Use the attached cancellation to remove the appointment from your calendar.',
  },
  closing: {
    booking_confirmed: 'We look forward to seeing you.',
    booking_rescheduled: 'We look forward to seeing you.',
    booking_cancelled: 'We hope to see you another time.',
    reminder: 'We look forward to seeing you.',
  },
  signOff: 'Kind regards,\n{business}',
  inviteSummary: '{service} – {business}',
  dataExport: {
    subject: 'Your data at {business}',
    intro: 'You asked for a copy of the data {business} holds about you, from the page of your booking for {service} on {date}.',
    linkText: 'Download it here, as a JSON file. The link works until {time}:',
    button: 'Download my data',
    notYou: 'If you did not ask for this, you can ignore this mail: the link was sent to this address only, and it stops working by itself.',
  },
  inviteDescription: '{service} with {provider} at {business}',
};
