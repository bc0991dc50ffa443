import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Booking, type Slot, type Tenant } from '../lib/api.ts';
import { googleCalendarUrl, icsFile, outlookCalendarUrl, type CalendarEvent } from '../lib/calendar-links.ts';
import { isLang } from '../lib/i18n.ts';
import { fragment, navigate, type Place } from '../lib/router.ts';
import { addDays, formatDate, formatDateTime, formatDuration, isValidZone, localDateOf, monthOf, zoneLabel } from '../lib/time.ts';
import { nearestSlots } from './flow.ts';
import { DateGrid, forgetAvailability, slotsBetween, TimeList, useMonthSlots, ZoneNote } from './picker.tsx';
import { ErrorNote, pageContext, Shell, StepHeading, useTenant, type Context } from './shell.tsx';

/**
 * The page behind the manage link (`/manage/<bookingId>#token=…`), also the confirmation right
 * after booking (`?confirmed=1`): the booking, add-to-calendar, move it with the same picker as
 * booking, cancel it, book again. The token stays in the fragment and is sent only as a Bearer
 * header to the API.
 */
interface ManageState {
  confirmed: boolean;
  action?: 'reschedule' | 'cancel' | undefined;
  date?: string | undefined;
  start?: string | undefined;
  month?: string | undefined;
  done?: 'rescheduled' | 'cancelled' | undefined;
  lang?: ReturnType<typeof readLang>;
  tz?: string | undefined;
}

function readLang(value: string | null) {
  return isLang(value) ? value : undefined;
}

function readState(search: string): ManageState {
  const q = new URLSearchParams(search);
  const action = q.get('action');
  const done = q.get('done');
  const tz = q.get('tz');
  return {
    confirmed: q.get('confirmed') === '1',
    action: action === 'reschedule' || action === 'cancel' ? action : undefined,
    date: /^\d{4}-\d{2}-\d{2}$/.test(q.get('date') ?? '') ? q.get('date')! : undefined,
    start: q.get('start') && !Number.isNaN(Date.parse(q.get('start')!)) ? q.get('start')! : undefined,
    month: /^\d{4}-\d{2}$/.test(q.get('month') ?? '') ? q.get('month')! : undefined,
    done: done === 'rescheduled' || done === 'cancelled' ? done : undefined,
    lang: readLang(q.get('lang')),
    tz: tz && isValidZone(tz) ? tz : undefined,
  };
}

function writeState(state: ManageState): string {
  const q = new URLSearchParams();
  if (state.lang) q.set('lang', state.lang);
  if (state.tz) q.set('tz', state.tz);
  if (state.confirmed) q.set('confirmed', '1');
  if (state.done) q.set('done', state.done);
  if (state.action) q.set('action', state.action);
  if (state.month) q.set('month', state.month);
  if (state.date) q.set('date', state.date);
  if (state.start) q.set('start', state.start);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function ManageApp(props: { bookingId: string; place: Place }) {
  const { bookingId, place } = props;
  const state = readState(place.search);
  const token = fragment(place.hash).get('token') ?? '';
  const [booking, setBooking] = useState<Booking>();
  const [loadError, setLoadError] = useState<ApiError>();
  const { tenant, error: tenantError } = useTenant(booking?.tenantId);
  const context = pageContext(state.lang, state.tz ?? booking?.customer.timeZone, tenant);
  const { t } = context;
  const go = (next: ManageState, options: { replace?: boolean } = {}) => navigate(`${place.path}${writeState(next)}${place.hash}`, options);

  useEffect(() => {
    if (!token) {
      setLoadError(new ApiError(404, 'booking_not_found', 'no token'));
      return;
    }
    api.booking(bookingId, token).then(
      (found) => setBooking(found.booking),
      (error: unknown) => setLoadError(error instanceof ApiError ? error : new ApiError(0, 'network', String(error))),
    );
  }, [bookingId, token]);

  const error = loadError ?? tenantError;
  return (
    <Shell context={context} title={t('manageTitle')} business={tenant?.name} onLanguage={(lang) => go({ ...state, lang }, { replace: true })}>
      {error ? (
        error.status === 404 ? (
          <div role="alert" class="error">
            <h1>{t('manageTitle')}</h1>
            <p>{t('linkInvalid')}</p>
          </div>
        ) : (
          <ErrorNote t={t} error={error} onRetry={() => location.reload()} />
        )
      ) : !booking || !tenant ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <ManageBooking context={context} tenant={tenant} booking={booking} setBooking={setBooking} state={state} go={go} token={token} serial={place.serial} />
      )}
    </Shell>
  );
}

interface ManageProps {
  context: Context;
  tenant: Tenant;
  booking: Booking;
  setBooking(booking: Booking): void;
  state: ManageState;
  go(next: ManageState, options?: { replace?: boolean }): void;
  token: string;
  serial: number;
}

function calendarEvent(booking: Booking, tenant: Tenant, manageUrl: string): CalendarEvent {
  const service = tenant.services.find((s) => s.id === booking.serviceId)?.name ?? booking.serviceId;
  const provider = tenant.providers.find((p) => p.id === booking.providerId)?.name ?? '';
  return {
    // The mailed invitation's UID (shared/mail/invite.ts), so importing both leaves one event.
    uid: `${booking.id}@kairos`,
    title: `${service} · ${tenant.name}`,
    start: booking.start,
    end: booking.end,
    description: `${provider}\n${manageUrl}`,
    location: tenant.name,
  };
}

function ManageBooking(props: ManageProps) {
  const { context, tenant, booking, state, go, token } = props;
  const { t, locale, timeZone } = context;
  const service = tenant.services.find((s) => s.id === booking.serviceId);
  const provider = tenant.providers.find((p) => p.id === booking.providerId);
  const cutoffMinutes = tenant.policy.selfServiceCutoffMinutes;
  const deadline = new Date(Date.parse(booking.start) - cutoffMinutes * 60_000).toISOString();
  const changeable = booking.status === 'confirmed' && Date.now() < Date.parse(deadline);
  const manageUrl = `${location.origin}/manage/${encodeURIComponent(booking.id)}#token=${encodeURIComponent(token)}`;
  const rebookUrl = `/book/${encodeURIComponent(tenant.id)}?rebook=${encodeURIComponent(booking.id)}&lang=${context.lang}#token=${encodeURIComponent(token)}`;
  const heading = state.action === 'reschedule' ? t('rescheduleTitle') : state.action === 'cancel' ? t('cancelQuestion') : t('manageTitle');
  const cutoff = {
    duration: formatDuration(cutoffMinutes, locale),
    deadline: formatDateTime(deadline, locale, timeZone),
    tenant: tenant.name,
  };
  const actionsAllowed = changeable && !state.action;

  return (
    <>
      <h1>{t('manageTitle')}</h1>
      {state.confirmed && booking.status === 'confirmed' && !state.done && (
        <p class="success" role="status">
          {t('confirmed', { email: booking.customer.email })}
        </p>
      )}
      {state.done && (
        <p class="success" role="status">
          {state.done === 'cancelled' ? t('cancelled') : t('rescheduled', { when: formatDateTime(booking.start, locale, timeZone) })}
        </p>
      )}
      <dl class="summary">
        <div>
          <dt>{t('status')}</dt>
          <dd class={booking.status}>{booking.status === 'confirmed' ? t('statusConfirmed') : t('statusCancelled')}</dd>
        </div>
        <div>
          <dt>{t('service')}</dt>
          <dd>{service?.name ?? booking.serviceId}</dd>
        </div>
        <div>
          <dt>{t('with')}</dt>
          <dd>{provider?.name ?? booking.providerId}</dd>
        </div>
        <div>
          <dt>{t('when')}</dt>
          <dd>{formatDateTime(booking.start, locale, timeZone)}</dd>
        </div>
        <div>
          <dt>{t('timeZone')}</dt>
          <dd>{zoneLabel(timeZone, locale, Date.parse(booking.start))}</dd>
        </div>
        <div>
          <dt>{t('yourDetails')}</dt>
          <dd>{[booking.customer.name, booking.customer.email, booking.customer.phone].filter(Boolean).join(' · ')}</dd>
        </div>
      </dl>

      {booking.status === 'confirmed' && !state.action && <CalendarLinks context={context} event={calendarEvent(booking, tenant, manageUrl)} />}

      {state.confirmed && !state.action && (
        <section class="manage-link" aria-labelledby="manage-link-title">
          <h2 id="manage-link-title">{t('manageLink')}</h2>
          <p>
            <a href={manageUrl}>{manageUrl}</a>
          </p>
          <p class="hint">{t('manageLinkHint')}</p>
        </section>
      )}

      {booking.status === 'confirmed' && <p class="note">{t(changeable ? 'cutoffOpen' : 'cutoffPassed', cutoff)}</p>}

      {state.action && changeable && (
        <section class="step" aria-labelledby="manage-step-title">
          <StepHeading focusKey={`${state.action}|${state.date}|${state.start}`}>
            <span id="manage-step-title">{heading}</span>
          </StepHeading>
          {state.action === 'reschedule' ? <Reschedule {...props} /> : <Cancel {...props} />}
        </section>
      )}

      {actionsAllowed && (
        <div class="actions">
          <button type="button" onClick={() => go({ ...state, confirmed: false, done: undefined, action: 'reschedule' })}>
            {t('reschedule')}
          </button>
          <button type="button" class="danger" onClick={() => go({ ...state, confirmed: false, done: undefined, action: 'cancel' })}>
            {t('cancel')}
          </button>
        </div>
      )}
      <p>
        <a href={rebookUrl}>{t('bookAgain')}</a>
      </p>
    </>
  );
}

function CalendarLinks({ context, event }: { context: Context; event: CalendarEvent }) {
  const { t } = context;
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([icsFile(event, new Date().toISOString())], { type: 'text/calendar;charset=utf-8' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [event.uid, event.start, event.end, event.title]);
  return (
    <section class="calendar" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t('addToCalendar')}</h2>
      <ul class="links">
        <li>{href && <a href={href} download="termin.ics">{t('downloadIcs')}</a>}</li>
        <li>
          <a href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
            {t('googleCalendar')}
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
            {t('outlookCalendar')}
          </a>
        </li>
      </ul>
    </section>
  );
}

function Reschedule({ context, tenant, booking, setBooking, state, go, token }: ManageProps) {
  const { t, locale, timeZone } = context;
  const service = tenant.services.find((s) => s.id === booking.serviceId);
  const today = localDateOf(Date.now(), timeZone);
  const min = today;
  const max = addDays(today, service?.horizonDays ?? 60);
  const month = state.month ?? (state.date ? monthOf(state.date) : monthOf(localDateOf(booking.start, timeZone)) < monthOf(today) ? monthOf(today) : monthOf(localDateOf(booking.start, timeZone)));
  const slots = useMonthSlots(tenant.id, booking.serviceId, booking.providerId, timeZone, month, min, max);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ error: ApiError; offers: Slot[] }>();
  const problemRef = useRef<HTMLDivElement>(null);
  useEffect(() => setProblem(undefined), [state.start]);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  const move = async () => {
    setBusy(true);
    try {
      const moved = await api.reschedule(booking.id, token, { start: state.start! });
      forgetAvailability();
      setBooking(moved.booking);
      go({ lang: state.lang, tz: state.tz, confirmed: false, done: 'rescheduled' }, { replace: true });
    } catch (error) {
      const failure = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
      let offers: Slot[] = [];
      if (failure.code === 'slot_taken' || failure.code === 'slot_unavailable') {
        forgetAvailability();
        const date = localDateOf(state.start!, timeZone);
        const around = await slotsBetween(tenant.id, booking.serviceId, booking.providerId, timeZone, addDays(date, -1), addDays(date, 1)).catch(() => new Map<string, Slot[]>());
        offers = nearestSlots([...around.values()].flat(), state.start!, 6);
      }
      setProblem({ error: failure, offers });
    } finally {
      setBusy(false);
    }
  };

  if (state.start) {
    return (
      <>
        {problem && (
          <div class="recovery" role="alert" tabIndex={-1} ref={problemRef}>
            <p>
              {problem.error.code === 'slot_taken'
                ? t('slotTaken', { time: formatDateTime(state.start, locale, timeZone) })
                : problem.error.code === 'slot_unavailable'
                  ? t('slotGone')
                  : problem.error.status === 0
                    ? t('networkError')
                    : t('genericError', { message: problem.error.message })}
            </p>
            {problem.offers.length > 0 && (
              <ul class="times wide">
                {problem.offers.map((slot) => (
                  <li key={slot.start}>
                    <button type="button" class="time" onClick={() => go({ ...state, date: localDateOf(slot.start, timeZone), start: slot.start })}>
                      {formatDateTime(slot.start, locale, timeZone)}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void move()}>
            {busy ? t('booking') : t('rescheduleConfirm', { when: formatDateTime(state.start, locale, timeZone) })}
          </button>
          <button type="button" onClick={() => go({ ...state, start: undefined })}>
            {t('back')}
          </button>
        </div>
      </>
    );
  }
  if (state.date) {
    const day = slots.byDate.get(state.date) ?? [];
    return (
      <>
        <p class="day">{formatDate(state.date, locale)}</p>
        <ZoneNote t={t} locale={locale} timeZone={timeZone} onChange={(tz) => go({ ...state, tz, date: undefined }, { replace: true })} />
        {slots.loading ? (
          <p role="status">{t('loading')}</p>
        ) : day.length === 0 ? (
          <p role="status">{t('noTimesThisDay')}</p>
        ) : (
          <TimeList t={t} locale={locale} timeZone={timeZone} slots={day} label={formatDate(state.date, locale)} onSelect={(slot) => go({ ...state, start: slot.start })} />
        )}
        <p>
          <button type="button" class="link" onClick={() => go({ ...state, date: undefined })}>
            {t('otherDay')}
          </button>
        </p>
      </>
    );
  }
  return (
    <>
      <ZoneNote t={t} locale={locale} timeZone={timeZone} onChange={(tz) => go({ ...state, tz }, { replace: true })} />
      <DateGrid t={t} locale={locale} month={month} onMonth={(m) => go({ ...state, month: m }, { replace: true })} today={today} min={min} max={max} slots={slots} onSelect={(date) => go({ ...state, date, month: undefined })} />
      <p>
        <button type="button" class="link" onClick={() => go({ lang: state.lang, tz: state.tz, confirmed: false })}>
          {t('back')}
        </button>
      </p>
    </>
  );
}

function Cancel({ context, booking, setBooking, state, go, token }: ManageProps) {
  const { t } = context;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const cancel = async () => {
    setBusy(true);
    try {
      const cancelled = await api.cancel(booking.id, token, reason.trim() || undefined);
      forgetAvailability();
      setBooking(cancelled.booking);
      go({ lang: state.lang, tz: state.tz, confirmed: false, done: 'cancelled' }, { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'network', String(failure)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error && <ErrorNote t={t} error={error} />}
      <div class="field">
        <label for="cancel-reason">{t('cancelReason')}</label>
        <textarea id="cancel-reason" rows={2} maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>
          {t('cancelYes')}
        </button>
        <button type="button" onClick={() => go({ lang: state.lang, tz: state.tz, confirmed: false })}>
          {t('cancelNo')}
        </button>
      </div>
    </>
  );
}
