import type { Lang } from '../lib/i18n.ts';
import { readFlow, writeFlow } from './flow.ts';
import { navigate, type Place } from '../lib/router.ts';
import { pageContext, Shell, useTenant } from './shell.tsx';

/**
 * What the booking page does with the customer's data, in their language. The business is the
 * controller and may publish its own notice; the tenant API has no field for its address yet,
 * so this page says what this software stores and why, and names the business.
 */
const notice: Record<Lang, { title: string; paragraphs: (tenant: string) => string[] }> = {
  de: {
    title: 'Datenschutz bei der Online-Buchung',
    paragraphs: (tenant) => [
      `Verantwortlich ist ${tenant}. Für Ihren Termin speichern wir Name, E-Mail-Adresse, auf Wunsch Telefonnummer und Ihre Nachricht, dazu Zeitzone und Sprache.`,
      'Wir nutzen die Angaben, um den Termin zu führen, Ihnen Bestätigung, Änderungen und Erinnerungen zu senden und Sie bei einer erneuten Buchung wiederzuerkennen.',
      'Werbung erhalten Sie nur, wenn Sie das Kästchen dafür angekreuzt haben; Sie können sich jederzeit abmelden.',
      'Sie können Auskunft über Ihre Daten und ihre Löschung verlangen. Über den Link in Ihrer Bestätigungs-E-Mail sehen Sie Ihre Buchung jederzeit ein. Diese Seite setzt keine Cookies; Ihre Eingaben bleiben nur in diesem Browser-Tab, bis Sie ihn schließen.',
    ],
  },
  en: {
    title: 'Privacy when you book online',
    paragraphs: (tenant) => [
      `${tenant} is responsible for your data. For your appointment we store your name, e-mail address, your phone number and message if you give them, and your time zone and language.`,
      'We use them to keep your appointment, to send you the confirmation, changes and reminders, and to recognise you when you book again.',
      'You get news and offers only if you ticked the box for them, and you can unsubscribe at any time.',
      'You can ask for a copy of your data and for its erasure. The link in your confirmation e-mail always shows your booking. This page sets no cookies; what you type stays in this browser tab only, until you close it.',
    ],
  },
  es: {
    title: 'Privacidad al reservar en línea',
    paragraphs: (tenant) => [
      `El responsable de sus datos es ${tenant}. Para su cita guardamos su nombre, su correo electrónico, su teléfono y su mensaje si los indica, y su zona horaria e idioma.`,
      'Los usamos para gestionar la cita, enviarle la confirmación, los cambios y los recordatorios, y reconocerle cuando vuelva a reservar.',
      'Solo recibirá novedades y ofertas si marcó la casilla para ello, y puede darse de baja cuando quiera.',
      'Puede pedir una copia de sus datos y su supresión. El enlace de su correo de confirmación muestra siempre su reserva. Esta página no usa cookies; lo que escribe se queda solo en esta pestaña del navegador hasta que la cierre.',
    ],
  },
};

export function PrivacyPage(props: { tenantId: string; place: Place }) {
  const flow = readFlow(props.place.search);
  const { tenant } = useTenant(props.tenantId);
  const context = pageContext(flow.lang, flow.tz, tenant);
  const text = notice[context.lang];
  return (
    <Shell context={context} title={text.title} business={tenant?.name} onLanguage={(lang) => navigate(`${props.place.path}${writeFlow({ ...flow, lang })}`, { replace: true })}>
      <h1>{text.title}</h1>
      {text.paragraphs(tenant?.name ?? props.tenantId).map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
      <p>
        <a href={`/book/${encodeURIComponent(props.tenantId)}${writeFlow({ lang: flow.lang })}`}>{context.t('title')}</a>
      </p>
    </Shell>
  );
}
