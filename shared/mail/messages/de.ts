import type { MailCatalogue } from './catalogue.ts';

/**
 * German, addressing the customer formally ("Sie"). Service names are written without an article
 * ("Haarschnitt bei Anna Berg"), so no sentence puts one in front of {service}, where its case and
 * gender would have to agree with a name the catalogue cannot know.
 */
export const de: MailCatalogue = {
  subject: {
    booking_confirmed: {
      customer: 'Termin bestätigt: {service} am {date}',
      provider: 'Neue Buchung: {customer}, {service} am {date}',
    },
    booking_rescheduled: {
      customer: 'Termin verschoben: {service}, jetzt am {date}',
      provider: 'Termin verschoben: {customer}, {service}, jetzt am {date}',
    },
    booking_cancelled: {
      customer: 'Termin abgesagt: {service} am {date}',
      provider: 'Termin abgesagt: {customer}, {service} am {date}',
    },
    reminder: {
      customer: 'Erinnerung: Ihr Termin bei {business} ist {lead}',
      provider: 'Termin {lead}: {customer}, {service}',
    },
  },
  greeting: 'Guten Tag {name},',
  intro: {
    booking_confirmed: {
      customer: 'Ihr Termin bei {business} ist bestätigt.',
      provider: '{customer} hat einen Termin gebucht: {service} bei {provider}.',
    },
    booking_rescheduled: {
      customer: 'Ihr Termin bei {business} wurde auf einen neuen Zeitpunkt verschoben.',
      provider: 'Der Termin von {customer} ({service} bei {provider}) wurde auf einen neuen Zeitpunkt verschoben.',
    },
    booking_cancelled: {
      customer: 'Ihr Termin bei {business} wurde abgesagt.',
      provider: 'Der Termin von {customer} ({service} bei {provider}) wurde abgesagt.',
    },
    reminder: {
      customer: 'Zur Erinnerung: Ihr Termin bei {business} ist {lead}.',
      provider: '{customer} hat {lead} einen Termin: {service} bei {provider}.',
    },
  },
  label: {
    service: 'Leistung',
    provider: 'Bei',
    when: 'Wann',
    previously: 'Bisher',
    now: 'Neu',
    reason: 'Grund',
    yourNotes: 'Ihre Anmerkungen',
    notes: 'Anmerkungen',
    email: 'E-Mail',
    phone: 'Telefon',
  },
  detail: '{label}: {value}',
  zoned: '{time} ({zone})',
  reminderLead: `{unit, select,
    week {{count, plural, =1 {in einer Woche} other {in # Wochen}}}
    day {{count, plural, =1 {morgen} =2 {übermorgen} other {in # Tagen}}}
    hour {{count, plural, =1 {in einer Stunde} other {in # Stunden}}}
    minute {{count, plural, =1 {in einer Minute} other {in # Minuten}}}
    other {in {hours, plural, =1 {einer Stunde} other {# Stunden}} und {minutes, plural, =1 {einer Minute} other {# Minuten}}}
  }`,
  manageText:
    '{state, select, cancelled {Die Buchung können Sie hier ansehen:} other {Sie möchten den Termin verschieben oder absagen? Das geht über diesen Link:}}',
  manageButton: '{state, select, cancelled {Buchung ansehen} other {Termin verwalten}}',
  inviteNote: {
    booking_confirmed: 'Mit der angehängten Einladung können Sie den Termin in Ihren Kalender übernehmen.',
    booking_rescheduled: 'Mit der angehängten Aktualisierung können Sie den Termin auch in Ihrem Kalender verschieben.',
    booking_cancelled: 'Mit der angehängten Absage können Sie den Termin aus Ihrem Kalender entfernen.',
  },
  closing: {
    booking_confirmed: 'Wir freuen uns auf Ihren Besuch.',
    booking_rescheduled: 'Wir freuen uns auf Ihren Besuch.',
    booking_cancelled: 'Wir würden uns freuen, Sie ein anderes Mal bei uns begrüßen zu dürfen.',
    reminder: 'Wir freuen uns auf Ihren Besuch.',
  },
  signOff: 'Freundliche Grüße\n{business}',
  inviteSummary: '{service} – {business}',
  dataExport: {
    subject: 'Ihre Daten bei {business}',
    intro: 'Sie haben auf der Seite Ihrer Buchung ({service} am {date}) eine Kopie der Daten angefordert, die {business} über Sie gespeichert hat.',
    linkText: 'Hier können Sie sie als JSON-Datei herunterladen. Der Link gilt bis {time}:',
    button: 'Meine Daten herunterladen',
    notYou: 'Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren: Der Link ging nur an diese Adresse und verfällt von selbst.',
  },
  inviteDescription: '{service} bei {provider}, {business}',
};
