import { useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import { BlockDialog, BookingDialog, serviceName } from '../lib/booking-dialog.tsx';
import { navigate } from '../lib/router.ts';
import type { Block, Booking, StaffProvider } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { hoursNote, TimeGrid, type GridColumn } from '../lib/time-grid.tsx';
import { asApiError, dateParam, Dialog, ErrorBox, Field, issueFor, Link, Loading, ScreenHeading, Status, useLoad, withParams, FormProblems } from '../lib/staff-ui.tsx';
import { addDays, formatDate, formatDateTime, formatTime, zoneLabel } from '../lib/time.ts';
import { dayRange, instantOf, minutesOf, today, weekStart } from '../lib/zoned.ts';
import { calendarProvider, ProviderPicker } from './provider.tsx';

type Selected = { kind: 'booking'; booking: Booking } | { kind: 'block'; block: Block } | { kind: 'new-block' };

/** The week (Monday first) or one day of a provider's bookings and blocks; block time from here. */
export function ScheduleScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, locale, timeZone, client, place, tenant } = context;
  const params = new URLSearchParams(place.search);
  const view = params.get('view') === 'day' ? 'day' : 'week';
  const date = dateParam(params.get('date')) ?? today(timeZone);
  const provider = calendarProvider(context);
  const first = view === 'day' ? date : weekStart(date);
  const days = view === 'day' ? [date] : Array.from({ length: 7 }, (_, i) => addDays(first, i));
  const from = dayRange(days[0]!, timeZone).from;
  const to = dayRange(days.at(-1)!, timeZone).to;
  const calendar = useLoad(() => (provider ? client.calendar({ from, to, providerId: provider.id }) : Promise.resolve(undefined)), `${provider?.id}|${from}|${to}`);
  const [selected, setSelected] = useState<Selected>();
  const [status, setStatus] = useState<string>();

  const title = provider ? t('calendarOf', { name: provider.name }) : t('navSchedule');
  const step = view === 'day' ? 1 : 7;
  const go = (changes: Record<string, string | undefined>) => navigate(withParams(place, changes), { replace: true });

  const columns: GridColumn[] = days.map((day) => {
    const range = dayRange(day, timeZone);
    const inDay = (start: string, end: string) => start < range.to && end > range.from;
    const bookings = (calendar.data?.bookings ?? []).filter((b) => b.status === 'confirmed' && inDay(b.start, b.end));
    const blocks = (calendar.data?.blocks ?? []).filter((b) => inDay(b.start, b.end));
    return {
      key: day,
      date: day,
      heading:
        view === 'week' ? (
          <Link href={withParams(place, { view: 'day', date: day })}>{formatDate(day, locale, 'short')}</Link>
        ) : (
          formatDate(day, locale)
        ),
      note: provider ? hoursNote(provider, day, t('closed')) : undefined,
      empty: t('nothingBooked'),
      items: [
        ...bookings.map((booking) => ({
          id: booking.id,
          start: booking.start,
          end: booking.end,
          kind: 'booking' as const,
          title: `${serviceName(context, booking.serviceId)} · ${booking.customer.name}`,
          tags: [booking.attendance ? t(booking.attendance === 'attended' ? 'attended' : 'noShow') : '', booking.override ? t('override') : ''].filter(Boolean),
          onOpen: () => setSelected({ kind: 'booking', booking }),
        })),
        ...blocks.map((block) => ({
          id: block.id,
          start: block.start,
          end: block.end,
          kind: 'block' as const,
          title: block.reason ? `${t('blocked')}: ${block.reason}` : t('blocked'),
          onOpen: () => setSelected({ kind: 'block', block }),
        })),
      ].sort((a, b) => a.start.localeCompare(b.start)),
    };
  });

  const changed = (message: string) => {
    setSelected(undefined);
    setStatus(message);
    calendar.reload();
  };

  return (
    <>
      <ScreenHeading title={title} business={tenant.tenant.name} />
      <div class="toolbar">
        <ProviderPicker context={context} provider={provider} />
        <nav aria-label={t('viewChoice')} class="segmented">
          <Link href={withParams(place, { view: undefined })} current={view === 'week'}>
            {t('week')}
          </Link>
          <Link href={withParams(place, { view: 'day' })} current={view === 'day'}>
            {t('day')}
          </Link>
        </nav>
        <div class="date-nav">
          <button type="button" aria-label={t(view === 'day' ? 'previousDay' : 'previousWeek')} onClick={() => go({ date: addDays(date, -step) })}>
            ‹
          </button>
          <button type="button" onClick={() => go({ date: undefined })}>
            {t('today')}
          </button>
          <button type="button" aria-label={t(view === 'day' ? 'nextDay' : 'nextWeek')} onClick={() => go({ date: addDays(date, step) })}>
            ›
          </button>
        </div>
        {provider && (
          <button type="button" class="primary" onClick={() => setSelected({ kind: 'new-block' })}>
            {t('blockTime')}
          </button>
        )}
      </div>
      <p class="muted">
        {view === 'week' ? t('weekOf', { from: formatDate(days[0]!, locale, 'short'), to: formatDate(days[6]!, locale, 'short') }) : formatDate(date, locale)} ·{' '}
        {t('timesIn', { zone: zoneLabel(timeZone, locale, Date.now()) })}
        {provider?.timeZone && provider.timeZone !== timeZone ? ` ${t('hoursIn', { zone: provider.timeZone })}` : ''}
      </p>
      <Status message={status} />
      {!provider ? (
        <p>{t('noProvider')}</p>
      ) : calendar.error ? (
        <ErrorBox t={t} error={calendar.error} onRetry={calendar.reload} />
      ) : calendar.loading && !calendar.data ? (
        <Loading t={t} />
      ) : (
        <TimeGrid columns={columns} locale={locale} timeZone={timeZone} label={title} class={view === 'week' ? 'week' : 'day'} />
      )}
      {selected?.kind === 'booking' && <BookingDialog context={context} booking={selected.booking} onClose={() => setSelected(undefined)} onChanged={changed} />}
      {selected?.kind === 'block' && <BlockDialog context={context} block={selected.block} onClose={() => setSelected(undefined)} onChanged={changed} />}
      {selected?.kind === 'new-block' && provider && <NewBlockDialog context={context} provider={provider} date={date} onClose={() => setSelected(undefined)} onChanged={changed} />}
    </>
  );
}

/** Block time: a local date and two wall times in the viewer's zone (on the 5-minute grid), and why. */
function NewBlockDialog(props: { context: StaffContext; provider: StaffProvider; date: string; onClose(): void; onChanged(message: string): void }) {
  const { t, locale, timeZone, client } = props.context;
  const [date, setDate] = useState(props.date);
  const [endDate, setEndDate] = useState(props.date);
  const [from, setFrom] = useState('13:00');
  const [to, setTo] = useState('17:00');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setError(undefined);
    if (!date || !endDate || !/^\d\d:\d\d$/.test(from) || !/^\d\d:\d\d$/.test(to)) return setProblem(t('fillTimes'));
    if (minutesOf(from) % 5 !== 0 || minutesOf(to) % 5 !== 0) return setProblem(t('fiveMinutes'));
    const start = instantOf(date, from, timeZone);
    const end = instantOf(endDate, to, timeZone);
    if (end <= start) return setProblem(t('endAfterStart'));
    setBusy(true);
    try {
      const { block } = await client.createBlock(props.provider.id, { start, end, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      props.onChanged(t('blockCreated', { when: `${formatDateTime(block.start, locale, timeZone)}–${formatTime(block.end, locale, timeZone)}` }));
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('blockTime')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <p class="hint">{t('blockHint', { zone: zoneLabel(timeZone, locale, Date.now()) })}</p>
        <div class="row">
          <Field label={t('fromDate')}>
            {(id) => (
              <input
                id={id}
                type="date"
                value={date}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setDate(value);
                  if (endDate < value) setEndDate(value);
                }}
              />
            )}
          </Field>
          <Field label={t('fromTime')} error={issueFor(error, 'body.start')}>
            {(id, describedBy) => <input id={id} type="time" step={300} value={from} aria-describedby={describedBy} onInput={(e) => setFrom(e.currentTarget.value)} />}
          </Field>
        </div>
        <div class="row">
          <Field label={t('toDate')}>{(id) => <input id={id} type="date" value={endDate} min={date} onInput={(e) => setEndDate(e.currentTarget.value)} />}</Field>
          <Field label={t('toTime')} error={issueFor(error, 'body.end')}>
            {(id, describedBy) => <input id={id} type="time" step={300} value={to} aria-describedby={describedBy} onInput={(e) => setTo(e.currentTarget.value)} />}
          </Field>
        </div>
        <Field label={t('reasonOptional')}>{(id) => <input id={id} maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
        <FormProblems t={t} problem={problem} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('blockConfirm')}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
