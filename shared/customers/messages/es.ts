import type { CustomerCatalogue } from './catalogue.ts';

/**
 * Spanish, for the team (not the customer). Labels describe behaviour rather than the customer
 * ("Reserva fuera de horario", not "cliente nocturno"), so no adjective has to agree in gender.
 */
export const es: CustomerCatalogue = {
  badge: {
    new: {
      label: 'Primera vez',
      reason: '{visits, plural, =0 {Ha reservado por primera vez y aún no ha venido.} other {Primera visita, sin cancelaciones ni ausencias anteriores.}}',
    },
    regular: {
      label: 'Viene con regularidad',
      reason: 'Ha venido {visits, plural, one {# vez} other {# veces}}, de media cada {interval, plural, one {# día} other {# días}}.',
    },
    lapsing: {
      label: 'Tarda en volver',
      reason: `{basis, select,
        own {Última visita hace {days, plural, one {# día} other {# días}}; suele venir cada {cadence, plural, one {# día} other {# días}}.}
        other {Última visita hace {days, plural, one {# día} other {# días}}; con pocas visitas para un ritmo propio, esperamos una cada {cadence, plural, one {# día} other {# días}}.}
      }`,
    },
    lost: {
      label: 'Sin volver',
      reason: `{basis, select,
        own {No viene desde hace {days, plural, one {# día} other {# días}}, aunque suele venir cada {cadence, plural, one {# día} other {# días}}.}
        other {No viene desde hace {days, plural, one {# día} other {# días}}; con pocas visitas para un ritmo propio, esperamos una cada {cadence, plural, one {# día} other {# días}}.}
      }`,
    },
    no_show_risk: {
      label: 'Riesgo de ausencia',
      reason: 'No se presentó a {noShows} de {decided, plural, one {# cita} other {# citas}}; riesgo estimado de ausencia: {rate, number, percent}.',
    },
    after_hours: {
      label: 'Reserva fuera de horario',
      reason: 'Reservó {afterHours} de {total, plural, one {# vez} other {# veces}} fuera del horario de apertura.',
    },
    planner: {
      label: 'Planifica con antelación',
      reason: 'Reserva de media con {leadDays, plural, one {# día} other {# días}} de antelación.',
    },
    last_minute: {
      label: 'De última hora',
      reason: 'Reserva de media con {leadHours, plural, =0 {menos de una hora} one {# hora} other {# horas}} de antelación.',
    },
    top_spender: {
      label: 'Gasto alto',
      reason: 'Ha gastado {amount} en {visits, plural, one {# visita} other {# visitas}}.',
    },
  },
  action: {
    confirm_by_phone: {
      label: 'Confirmar la cita por teléfono',
      reason: `No se presentó a {noShows} de {decided, plural, one {# cita} other {# citas}} (riesgo estimado de ausencia: {rate, number, percent}) y {when, select,
        none {tiene una cita próxima}
        other {tiene una cita el {when} ({zone})}
      }: una llamada hace menos probable la ausencia.`,
    },
    offer_usual_slot: {
      label: 'Ofrecer {slot} con {provider}',
      reason: `{basis, select,
        own {Última visita hace {days, plural, one {# día} other {# días}}, suele venir cada {cadence, plural, one {# día} other {# días}} y no tiene nada reservado.}
        other {Última visita hace {days, plural, one {# día} other {# días}} y no tiene nada reservado.}
      } Su hora habitual, el {slotDate} ({zone}) con {provider}, está libre.`,
    },
    win_back: {
      label: 'Invitar a volver',
      reason: `{basis, select,
        own {Última visita hace {days, plural, one {# día} other {# días}}, suele venir cada {cadence, plural, one {# día} other {# días}} y no tiene nada reservado.}
        other {Última visita hace {days, plural, one {# día} other {# días}} y no tiene nada reservado.}
      } Ha aceptado recibir comunicaciones comerciales.`,
    },
    ask_marketing_consent: {
      label: 'Pedir el consentimiento para comunicaciones comerciales',
      reason: 'Viene con regularidad ({visits, plural, one {# visita} other {# visitas}}), pero no ha aceptado recibir ofertas.',
    },
    welcome: {
      label: 'Darle la bienvenida y preguntar cómo nos conoció',
      reason: '{visits, plural, =0 {Ha reservado por primera vez.} other {Primera visita.}} Saber cómo nos encuentra la clientela nueva muestra qué canales funcionan.',
    },
  },
};
