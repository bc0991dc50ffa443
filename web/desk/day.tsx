import { useState } from 'preact/hooks';
import { BlockDialog, BookingDialog, serviceName } from '../lib/booking-dialog.tsx';
import { navigate } from '../lib/router.ts';
import type { Block, Booking } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { hoursNote, TimeGrid, type GridColumn } from '../lib/time-grid.tsx';
import { dateParam, ErrorBox, Field, Link, Loading, ScreenHeading, Status, useLoad, withParams } from '../lib/staff-ui.tsx';
import { addDays, formatDate, zoneLabel } from '../lib/time.ts';
import { dayRange, today } from '../lib/zoned.ts';

/** The day across every active provider: who is booked when, blocks, and each booking's actions. */
export function DayScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, locale, timeZone, client, place, tenant } = context;
  const date = dateParam(new URLSearchParams(place.search).get('date')) ?? today(timeZone);
  const range = dayRange(date, timeZone);
  const calendar = useLoad(() => client.calendar({ from: range.from, to: range.to }), `${range.from}|${range.to}`);
  const [selected, setSelected] = useState<{ kind: 'booking'; booking: Booking } | { kind: 'block'; block: Block }>();
  const [status, setStatus] = useState<string>();
  const providers = tenant.providers.filter((p) => p.active);
  const go = (day: string | undefined) => navigate(withParams(place, { date: day }), { replace: true });

  const columns: GridColumn[] = providers.map((provider) => ({
    key: provider.id,
    date,
    heading: provider.name,
    note: hoursNote(provider, date, t('closed')),
    empty: t('nothingBooked'),
    items: [
      ...(calendar.data?.bookings ?? [])
        .filter((b) => b.providerId === provider.id && b.status === 'confirmed')
        .map((booking) => ({
          id: booking.id,
          start: booking.start,
          end: booking.end,
          kind: 'booking' as const,
          title: `${booking.customer.name} · ${serviceName(context, booking.serviceId)}`,
          tags: [booking.attendance ? t(booking.attendance === 'attended' ? 'attended' : 'noShow') : '', booking.override ? t('override') : ''].filter(Boolean),
          onOpen: () => setSelected({ kind: 'booking', booking }),
        })),
      ...(calendar.data?.blocks ?? [])
        .filter((b) => b.providerId === provider.id)
        .map((block) => ({
          id: block.id,
          start: block.start,
          end: block.end,
          kind: 'block' as const,
          title: block.reason ? `${t('blocked')}: ${block.reason}` : t('blocked'),
          onOpen: () => setSelected({ kind: 'block', block }),
        })),
    ].sort((a, b) => a.start.localeCompare(b.start)),
  }));

  const changed = (message: string) => {
    setSelected(undefined);
    setStatus(message);
    calendar.reload();
  };
  const title = t('dayTitle', { date: formatDate(date, locale) });
  return (
    <>
      <ScreenHeading title={title} business={tenant.tenant.name} />
      <div class="toolbar">
        <div class="date-nav">
          <button type="button" aria-label={t('previousDay')} onClick={() => go(addDays(date, -1))}>
            ‹
          </button>
          <button type="button" onClick={() => go(undefined)}>
            {t('today')}
          </button>
          <button type="button" aria-label={t('nextDay')} onClick={() => go(addDays(date, 1))}>
            ›
          </button>
        </div>
        <Field label={t('date')} class="inline-field">
          {(id) => <input id={id} type="date" value={date} onChange={(e) => e.currentTarget.value && go(e.currentTarget.value)} />}
        </Field>
        <Link class="button-link primary" href={`/desk/book?date=${date}`}>
          {t('newBooking')}
        </Link>
      </div>
      <p class="muted">{t('timesIn', { zone: zoneLabel(timeZone, locale, Date.now()) })}</p>
      <Status message={status} />
      {calendar.error ? (
        <ErrorBox t={t} error={calendar.error} onRetry={calendar.reload} />
      ) : calendar.loading && !calendar.data ? (
        <Loading t={t} />
      ) : (
        <TimeGrid columns={columns} locale={locale} timeZone={timeZone} label={title} class="providers" />
      )}
      {selected?.kind === 'booking' && <BookingDialog context={context} booking={selected.booking} onClose={() => setSelected(undefined)} onChanged={changed} />}
      {selected?.kind === 'block' && <BlockDialog context={context} block={selected.block} onClose={() => setSelected(undefined)} onChanged={changed} />}
    </>
  );
}
