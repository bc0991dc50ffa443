import type { MailCatalogue } from './catalogue.ts';

/**
 * Spanish, addressing the customer as "usted" (su cita, le recordamos). As in German, {service}
 * never follows an article, whose gender would have to match a name the catalogue cannot know.
 */
export const es: MailCatalogue = {
  subject: {
    booking_confirmed: {
      customer: 'Cita confirmada: {service} el {date}',
      provider: 'Nueva reserva: {customer}, {service} el {date}',
    },
    booking_rescheduled: {
      customer: 'Cita cambiada: {service}, ahora el {date}',
      provider: 'Cita cambiada: {customer}, {service}, ahora el {date}',
    },
    booking_cancelled: {
      customer: 'Cita cancelada: {service} el {date}',
      provider: 'Cita cancelada: {customer}, {service} el {date}',
    },
    reminder: {
      customer: 'Recordatorio: su cita en {business} es {lead}',
      provider: 'Cita {lead}: {customer}, {service}',
    },
  },
  greeting: 'Hola, {name}:',
  intro: {
    booking_confirmed: {
      customer: 'Su cita en {business} está confirmada.',
      provider: '{customer} ha reservado una cita: {service} con {provider}.',
    },
    booking_rescheduled: {
      customer: 'Su cita en {business} se ha cambiado a una nueva fecha u hora.',
      provider: 'La cita de {customer} ({service} con {provider}) se ha cambiado a una nueva fecha u hora.',
    },
    booking_cancelled: {
      customer: 'Su cita en {business} ha sido cancelada.',
      provider: 'La cita de {customer} ({service} con {provider}) ha sido cancelada.',
    },
    reminder: {
      customer: 'Le recordamos que su cita en {business} es {lead}.',
      provider: '{customer} tiene una cita {lead}: {service} con {provider}.',
    },
  },
  label: {
    service: 'Servicio',
    provider: 'Con',
    when: 'Cuándo',
    previously: 'Antes',
    now: 'Ahora',
    reason: 'Motivo',
    yourNotes: 'Sus notas',
    notes: 'Notas',
    email: 'Correo electrónico',
    phone: 'Teléfono',
  },
  detail: '{label}: {value}',
  zoned: '{time} ({zone})',
  reminderLead: `{unit, select,
    week {{count, plural, =1 {dentro de una semana} other {dentro de # semanas}}}
    day {{count, plural, =1 {mañana} =2 {pasado mañana} other {dentro de # días}}}
    hour {{count, plural, =1 {dentro de una hora} other {dentro de # horas}}}
    minute {{count, plural, =1 {dentro de un minuto} other {dentro de # minutos}}}
    other {dentro de {hours, plural, =1 {una hora} other {# horas}} y {minutes, plural, =1 {un minuto} other {# minutos}}}
  }`,
  manageText:
    '{state, select, cancelled {Puede consultar la cita aquí:} other {Si desea cambiar o cancelar la cita, puede hacerlo desde este enlace:}}',
  manageButton: '{state, select, cancelled {Ver la cita} other {Gestionar la cita}}',
  inviteNote: {
    booking_confirmed: 'Con la invitación adjunta puede añadir la cita a su calendario.',
    booking_rescheduled: 'Con la actualización adjunta puede cambiar la cita también en su calendario.',
    booking_cancelled: 'Con la cancelación adjunta puede eliminar la cita de su calendario.',
  },
  closing: {
    booking_confirmed: 'Esperamos su visita.',
    booking_rescheduled: 'Esperamos su visita.',
    booking_cancelled: 'Esperamos poder atenderle en otra ocasión.',
    reminder: 'Esperamos su visita.',
  },
  signOff: 'Un cordial saludo,\n{business}',
  inviteSummary: '{service} – {business}',
  dataExport: {
    subject: 'Sus datos en {business}',
    intro: 'Desde la página de su reserva ({service} el {date}) ha solicitado una copia de los datos que {business} tiene sobre usted.',
    linkText: 'Puede descargarlos aquí, como archivo JSON. El enlace es válido hasta el {time}:',
    button: 'Descargar mis datos',
    notYou: 'Si no lo ha solicitado usted, puede ignorar este correo: el enlace solo se ha enviado a esta dirección y caduca por sí solo.',
  },
  inviteDescription: '{service} con {provider}, {business}',
};
