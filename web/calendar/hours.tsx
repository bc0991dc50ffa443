import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import { providerName } from '../lib/booking-dialog.tsx';
import type { ScheduleChange, StaffProvider, WeeklyHours } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { asApiError, Field, issuesOf, ScreenHeading, Status, FormProblems } from '../lib/staff-ui.tsx';
import { formatDate, formatDateTime, weekdayNames } from '../lib/time.ts';
import { minutesOf } from '../lib/zoned.ts';
import { calendarProvider, ProviderPicker } from './provider.tsx';
import { rangeProblem } from './ranges.ts';

/**
 * Weekly hours (several ranges a day make breaks) and date exceptions (closed, or other hours).
 * Wall times in the provider's own zone, as the API stores them. A change that leaves bookings
 * outside the new hours is applied and lists them (decision 32): they are not cancelled.
 */
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Range = [string, string];

export function HoursScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, tenant } = context;
  const provider = calendarProvider(context);
  const title = provider ? t('hoursOf', { name: provider.name }) : t('navHours');
  return (
    <>
      <ScreenHeading title={title} business={tenant.tenant.name} />
      <div class="toolbar">
        <ProviderPicker context={context} provider={provider} />
      </div>
      {provider ? (
        <>
          <WeeklyHoursForm key={`${provider.id}-hours`} context={context} provider={provider} />
          <Exceptions key={`${provider.id}-exceptions`} context={context} provider={provider} />
        </>
      ) : (
        <p>{t('noProvider')}</p>
      )}
    </>
  );
}

function Stranded(props: { context: StaffContext; change: ScheduleChange | undefined }) {
  const { t, locale, timeZone } = props.context;
  const stranded = props.change?.strandedBookings ?? [];
  if (stranded.length === 0) return null;
  return (
    <div class="notice" role="status">
      <p>{t('strandedIntro', { n: stranded.length })}</p>
      <ul>
        {stranded.map((b) => (
          <li key={b.id}>
            {formatDateTime(b.start, locale, timeZone)} · {b.customer.name} ({providerName(props.context, b.providerId)})
          </li>
        ))}
      </ul>
    </div>
  );
}

function WeeklyHoursForm(props: { context: StaffContext; provider: StaffProvider }) {
  const { context, provider } = props;
  const { t, locale, client } = context;
  const [hours, setHours] = useState<Record<string, Range[]>>(() => Object.fromEntries(weekdays.map((d) => [d, (provider.weeklyHours[d] ?? []).map((r) => [...r] as Range)])));
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [change, setChange] = useState<ScheduleChange>();
  const [busy, setBusy] = useState(false);
  const names = weekdayNames(locale, 'long');
  const serverIssues = issuesOf(error);

  const update = (day: string, ranges: Range[]) => {
    setStatus(undefined);
    setHours({ ...hours, [day]: ranges });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setProblem(undefined);
    for (const [i, day] of weekdays.entries()) {
      const problemKey = rangeProblem(hours[day] ?? []);
      if (problemKey) return setProblem(`${names[i]}: ${t(problemKey)}`);
    }
    setBusy(true);
    try {
      const result = await client.putHours(provider.id, hours as WeeklyHours);
      setChange(result);
      setStatus(t('hoursSaved'));
      context.reloadTenant();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="weekly-title">
      <h2 id="weekly-title">{t('weeklyHours')}</h2>
      <p class="hint">{t('hoursZone', { zone: provider.timeZone ?? context.tenant.tenant.timeZone })}</p>
      <form onSubmit={submit} noValidate>
        {weekdays.map((day, i) => {
          const ranges = hours[day] ?? [];
          const issue = serverIssues.find((x) => x.field.startsWith(`body.weeklyHours.${day}`));
          return (
            <fieldset key={day} class="day-hours">
              <legend>{names[i]}</legend>
              {ranges.length === 0 && <p class="muted">{t('closed')}</p>}
              {ranges.map(([start, end], r) => (
                <div class="row range" key={r}>
                  <Field label={t('rangeFrom', { n: r + 1 })}>
                    {(id) => (
                      <input id={id} type="time" step={300} value={start} onInput={(e) => update(day, ranges.map((x, j) => (j === r ? [e.currentTarget.value, x[1]] : x)))} />
                    )}
                  </Field>
                  <Field label={t('rangeTo', { n: r + 1 })}>
                    {(id) => (
                      <input id={id} type="time" step={300} value={end} onInput={(e) => update(day, ranges.map((x, j) => (j === r ? [x[0], e.currentTarget.value] : x)))} />
                    )}
                  </Field>
                  <button type="button" class="link" onClick={() => update(day, ranges.filter((_, j) => j !== r))}>
                    {t('removeRange', { day: names[i]!, n: r + 1 })}
                  </button>
                </div>
              ))}
              {issue && <p class="field-error">{issue.message}</p>}
              <button
                type="button"
                class="link"
                onClick={() => {
                  const last = ranges.at(-1);
                  const startAt = last ? last[1] : '09:00';
                  const endAt = minutesOf(startAt) + 60 <= 24 * 60 ? `${String(Math.floor((minutesOf(startAt) + 60) / 60)).padStart(2, '0')}:${startAt.slice(3)}` : '24:00';
                  update(day, [...ranges, [startAt, endAt]]);
                }}
              >
                {t('addRange', { day: names[i]! })}
              </button>
            </fieldset>
          );
        })}
        <FormProblems t={t} problem={problem} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('saveHours')}
          </button>
        </div>
        <Status message={status} />
        <Stranded context={context} change={change} />
      </form>
    </section>
  );
}

function Exceptions(props: { context: StaffContext; provider: StaffProvider }) {
  const { context, provider } = props;
  const { t, locale, client } = context;
  const [list, setList] = useState(provider.exceptions);
  const [date, setDate] = useState('');
  const [closed, setClosed] = useState(true);
  const [range, setRange] = useState<Range>(['09:00', '13:00']);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [change, setChange] = useState<ScheduleChange>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setList(provider.exceptions), [provider]);

  const applied = (result: ScheduleChange, message: string) => {
    setList(result.provider.exceptions);
    setChange(result);
    setStatus(message);
    context.reloadTenant();
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setProblem(undefined);
    if (!date) return setProblem(t('chooseDate'));
    const hours: Range[] = closed ? [] : [range];
    const problemKey = rangeProblem(hours);
    if (problemKey) return setProblem(t(problemKey));
    setBusy(true);
    try {
      applied(await client.putException(provider.id, date, { hours, ...(note.trim() ? { note: note.trim() } : {}) }), t('exceptionSaved', { date: formatDate(date, locale) }));
      setDate('');
      setNote('');
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{t('exceptions')}</h2>
      <p class="hint">{t('exceptionsHint')}</p>
      {sorted.length === 0 ? (
        <p class="muted">{t('noExceptions')}</p>
      ) : (
        <ul class="plain-list">
          {sorted.map((e) => (
            <li key={e.date}>
              <strong>{formatDate(e.date, locale)}</strong>: {e.hours.length ? e.hours.map(([a, b]) => `${a}–${b}`).join(', ') : t('closed')}
              {e.note && ` (${e.note})`}{' '}
              <button
                type="button"
                class="link"
                onClick={async () => {
                  setError(undefined);
                  try {
                    applied(await client.deleteException(provider.id, e.date), t('exceptionRemoved', { date: formatDate(e.date, locale) }));
                  } catch (caught) {
                    setError(asApiError(caught));
                  }
                }}
              >
                {t('removeException', { date: formatDate(e.date, locale) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate class="panel">
        <h3>{t('addException')}</h3>
        <Field label={t('date')}>{(id) => <input id={id} type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />}</Field>
        <div class="check">
          <input id="exception-closed" type="checkbox" checked={closed} onChange={(e) => setClosed(e.currentTarget.checked)} />
          <label for="exception-closed">{t('closedAllDay')}</label>
        </div>
        {!closed && (
          <div class="row">
            <Field label={t('fromTime')}>{(id) => <input id={id} type="time" step={300} value={range[0]} onInput={(e) => setRange([e.currentTarget.value, range[1]])} />}</Field>
            <Field label={t('toTime')}>{(id) => <input id={id} type="time" step={300} value={range[1]} onInput={(e) => setRange([range[0], e.currentTarget.value])} />}</Field>
          </div>
        )}
        <Field label={t('noteOptional')}>{(id) => <input id={id} maxLength={200} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
        <FormProblems t={t} problem={problem} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('saveException')}
          </button>
        </div>
      </form>
      <Status message={status} />
      <Stranded context={context} change={change} />
    </section>
  );
}
