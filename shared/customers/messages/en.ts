import type { CustomerCatalogue } from './catalogue.ts';

/** English. Apostrophes are typographic (’): a straight one next to a brace starts ICU quoting. */
export const en: CustomerCatalogue = {
  badge: {
    new: {
      label: 'New',
      reason: '{visits, plural, =0 {Has booked for the first time and not visited yet.} other {First visit, with no earlier cancellations or no-shows.}}',
    },
    regular: {
      label: 'Regular',
      reason: 'Has visited {visits, plural, one {# time} other {# times}}, on average every {interval, plural, one {# day} other {# days}}.',
    },
    lapsing: {
      label: 'Overdue',
      reason: `{basis, select,
        own {Last visit {days, plural, one {# day} other {# days}} ago; usually comes every {cadence, plural, one {# day} other {# days}}.}
        other {Last visit {days, plural, one {# day} other {# days}} ago; too few visits for a rhythm of their own, and we expect one every {cadence, plural, one {# day} other {# days}}.}
      }`,
    },
    lost: {
      label: 'Lost',
      reason: `{basis, select,
        own {No visit for {days, plural, one {# day} other {# days}}, although they usually come every {cadence, plural, one {# day} other {# days}}.}
        other {No visit for {days, plural, one {# day} other {# days}}; too few visits for a rhythm of their own, and we expect one every {cadence, plural, one {# day} other {# days}}.}
      }`,
    },
    no_show_risk: {
      label: 'No-show risk',
      reason: 'Missed {noShows} of {decided, plural, one {# appointment} other {# appointments}}; estimated no-show risk {rate, number, percent}.',
    },
    after_hours: {
      label: 'Books after hours',
      reason: 'Booked {afterHours} of {total, plural, one {# time} other {# times}} outside opening hours.',
    },
    planner: {
      label: 'Plans ahead',
      reason: 'Books {leadDays, plural, one {# day} other {# days}} ahead on average.',
    },
    last_minute: {
      label: 'Last minute',
      reason: 'Books {leadHours, plural, =0 {less than an hour} one {# hour} other {# hours}} ahead on average.',
    },
    top_spender: {
      label: 'Top spender',
      reason: 'Has spent {amount} over {visits, plural, one {# visit} other {# visits}}.',
    },
  },
  action: {
    confirm_by_phone: {
      label: 'Call to confirm the appointment',
      reason: `Missed {noShows} of {decided, plural, one {# appointment} other {# appointments}} (estimated no-show risk {rate, number, percent}) and {when, select,
        none {has an appointment coming up}
        other {has an appointment on {when} ({zone})}
      }: a call makes a no-show less likely.`,
    },
    offer_usual_slot: {
      label: 'Offer {slot} with {provider}',
      reason: `{basis, select,
        own {Last visit {days, plural, one {# day} other {# days}} ago, usually every {cadence, plural, one {# day} other {# days}}, and nothing booked.}
        other {Last visit {days, plural, one {# day} other {# days}} ago and nothing booked.}
      } {slotDate} ({zone}) with {provider} is their usual slot, and it is free.`,
    },
    win_back: {
      label: 'Invite them back',
      reason: `{basis, select,
        own {Last visit {days, plural, one {# day} other {# days}} ago, usually every {cadence, plural, one {# day} other {# days}}, and nothing booked.}
        other {Last visit {days, plural, one {# day} other {# days}} ago and nothing booked.}
      } They agreed to hear from us.`,
    },
    ask_marketing_consent: {
      label: 'Ask for marketing consent',
      reason: 'Comes regularly ({visits, plural, one {# visit} other {# visits}}) but has not agreed to hear from us about offers.',
    },
    welcome: {
      label: 'Welcome them and ask how they found us',
      reason: '{visits, plural, =0 {Booked for the first time.} other {First visit.}} How new customers find us shows which channels work.',
    },
  },
};
