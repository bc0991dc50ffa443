import type { CustomerCatalogue } from './catalogue.ts';

/**
 * German, for the team (not the customer): short, neutral, no form of address. Labels avoid
 * gendered nouns ("Neukunde", "Stammkundin") by describing the behaviour instead.
 */
export const de: CustomerCatalogue = {
  badge: {
    new: {
      label: 'Neu dabei',
      reason: '{visits, plural, =0 {Hat zum ersten Mal gebucht und war noch nicht da.} other {Erster Besuch, ohne frühere Absagen oder versäumte Termine.}}',
    },
    regular: {
      label: 'Kommt regelmäßig',
      reason: 'War {visits, plural, one {einmal} other {# Mal}} da, im Schnitt alle {interval, plural, one {# Tag} other {# Tage}}.',
    },
    lapsing: {
      label: 'Überfällig',
      reason: `{basis, select,
        own {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}}; kommt sonst alle {cadence, plural, one {# Tag} other {# Tage}}.}
        other {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}}; für einen eigenen Rhythmus zu wenige Besuche, erwartet wird einer alle {cadence, plural, one {# Tag} other {# Tage}}.}
      }`,
    },
    lost: {
      label: 'Abgewandert',
      reason: `{basis, select,
        own {Seit {days, plural, one {# Tag} other {# Tagen}} nicht mehr da, kommt sonst aber alle {cadence, plural, one {# Tag} other {# Tage}}.}
        other {Seit {days, plural, one {# Tag} other {# Tagen}} nicht mehr da; für einen eigenen Rhythmus zu wenige Besuche, erwartet wird einer alle {cadence, plural, one {# Tag} other {# Tage}}.}
      }`,
    },
    no_show_risk: {
      label: 'No-Show-Risiko',
      reason: 'Zu {noShows} von {decided, plural, one {# Termin} other {# Terminen}} nicht erschienen; geschätztes Ausfallrisiko {rate, number, percent}.',
    },
    after_hours: {
      label: 'Bucht nach Feierabend',
      reason: '{afterHours} von {total, plural, one {# Buchung} other {# Buchungen}} außerhalb der Öffnungszeiten gemacht.',
    },
    planner: {
      label: 'Plant voraus',
      reason: 'Bucht im Schnitt {leadDays, plural, one {einen Tag} other {# Tage}} im Voraus.',
    },
    last_minute: {
      label: 'Kurzfristig',
      reason: 'Bucht im Schnitt {leadHours, plural, =0 {weniger als eine Stunde} one {eine Stunde} other {# Stunden}} vorher.',
    },
    top_spender: {
      label: 'Hoher Umsatz',
      reason: 'Hat bei {visits, plural, one {einem Besuch} other {# Besuchen}} {amount} ausgegeben.',
    },
  },
  action: {
    confirm_by_phone: {
      label: 'Termin telefonisch bestätigen',
      reason: `Zu {noShows} von {decided, plural, one {# Termin} other {# Terminen}} nicht erschienen (geschätztes Ausfallrisiko {rate, number, percent}) und {when, select,
        none {hat einen Termin vor sich}
        other {hat einen Termin am {when} ({zone})}
      }: Ein Anruf macht einen Ausfall unwahrscheinlicher.`,
    },
    offer_usual_slot: {
      label: '{slot} bei {provider} anbieten',
      reason: `{basis, select,
        own {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}}, sonst alle {cadence, plural, one {# Tag} other {# Tage}}, und nichts gebucht.}
        other {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}} und nichts gebucht.}
      } Der übliche Termin, {slotDate} ({zone}) bei {provider}, ist frei.`,
    },
    win_back: {
      label: 'Zum Wiederkommen einladen',
      reason: `{basis, select,
        own {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}}, sonst alle {cadence, plural, one {# Tag} other {# Tage}}, und nichts gebucht.}
        other {Letzter Besuch vor {days, plural, one {# Tag} other {# Tagen}} und nichts gebucht.}
      } Werbung ist erlaubt.`,
    },
    ask_marketing_consent: {
      label: 'Nach Einwilligung in Werbung fragen',
      reason: 'Kommt regelmäßig ({visits, plural, one {ein Besuch} other {# Besuche}}), hat aber nicht eingewilligt, über Angebote informiert zu werden.',
    },
    welcome: {
      label: 'Begrüßen und fragen, wie sie uns gefunden haben',
      reason: '{visits, plural, =0 {Hat zum ersten Mal gebucht.} other {Erster Besuch.}} Wie neue Kundschaft uns findet, zeigt, welche Kanäle wirken.',
    },
  },
};
