import { useState } from 'preact/hooks';
import type { ApiError } from './api.ts';
import type { Block, Booking, StaffProvider, StaffService } from './staff-api.ts';
import type { StaffContext } from './staff-shell.tsx';
import type { StaffMessageKey } from './staff-i18n.ts';
import { asApiError, Dialog, ErrorBox, Field, issueFor, Loading, useId, useLoad } from './staff-ui.tsx';
import { formatDateTime, formatTime, localDateOf, zoneLabel } from './time.ts';
import { instantOf } from './zoned.ts';

/**
 * One booking for staff: what it is, and what can be done to it — attended or no-show once it
 * has started, moved (to an open time, or with an override and its reason anywhere the sheets
 * are free), cancelled with a reason, and its history. Used by the desk's day view and caller
 * card and by the provider's calendar.
 */

export type BookingView = 'details' | 'reschedule' | 'cancel';

export const serviceName = (context: StaffContext, id: string) => context.tenant.services.find((s) => s.id === id)?.name ?? id;
export const providerName = (context: StaffContext, id: string) => context.tenant.providers.find((p) => p.id === id)?.name ?? id;

export function BookingDialog(props: { context: StaffContext; booking: Booking; view?: BookingView; onClose(): void; onChanged(message: string): void }) {
  const { context, booking } = props;
  const { t, locale, timeZone, client } = context;
  const [view, setView] = useState<BookingView>(props.view ?? 'details');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [showHistory, setShowHistory] = useState(false);
  const started = Date.parse(booking.start) <= Date.now();
  const confirmed = booking.status === 'confirmed';

  const act = async (work: () => Promise<{ booking: Booking }>, message: (b: Booking) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await work();
      props.onChanged(message(result.booking));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const when = formatDateTime(booking.start, locale, timeZone);
  const title = view === 'reschedule' ? t('rescheduleTitle') : view === 'cancel' ? t('cancelTitle') : t('bookingTitle');
  return (
    <Dialog title={title} onClose={props.onClose}>
      <dl class="summary">
        <div>
          <dt>{t('when')}</dt>
          <dd>
            {when}–{formatTime(booking.end, locale, timeZone)}
          </dd>
        </div>
        <div>
          <dt>{t('service')}</dt>
          <dd>{serviceName(context, booking.serviceId)}</dd>
        </div>
        <div>
          <dt>{t('provider')}</dt>
          <dd>{providerName(context, booking.providerId)}</dd>
        </div>
        <div>
          <dt>{t('customer')}</dt>
          <dd>
            {booking.customer.name}
            <br />
            {booking.customer.email}
            {booking.customer.phone && (
              <>
                <br />
                {booking.customer.phone}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('status')}</dt>
          <dd class={confirmed ? '' : 'cancelled'}>
            {t(confirmed ? 'statusConfirmed' : 'statusCancelled')}
            {booking.attendance && ` · ${t(booking.attendance === 'attended' ? 'attended' : 'noShow')}`}
            {booking.channel && ` · ${t(booking.channel === 'staff' ? 'channelStaff' : 'channelOnline')}`}
          </dd>
        </div>
        {booking.override && (
          <div>
            <dt>{t('override')}</dt>
            <dd>{booking.override.reason}</dd>
          </div>
        )}
        {booking.cancelReason && (
          <div>
            <dt>{t('cancelReason')}</dt>
            <dd>{booking.cancelReason}</dd>
          </div>
        )}
        {booking.notes && (
          <div>
            <dt>{t('notes')}</dt>
            <dd>{booking.notes}</dd>
          </div>
        )}
      </dl>
      {view === 'details' && (
        <>
          {confirmed && (
            <div class="actions">
              {started ? (
                <>
                  <button
                    type="button"
                    disabled={busy}
                    aria-pressed={booking.attendance === 'attended' ? 'true' : 'false'}
                    onClick={() => act(() => client.attendance(booking.id, 'attended'), (b) => t('markedAttended', { name: b.customer.name }))}
                  >
                    {t('markAttended')}
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    aria-pressed={booking.attendance === 'no_show' ? 'true' : 'false'}
                    onClick={() => act(() => client.attendance(booking.id, 'no_show'), (b) => t('markedNoShow', { name: b.customer.name }))}
                  >
                    {t('markNoShow')}
                  </button>
                </>
              ) : (
                <p class="hint">{t('attendanceLater')}</p>
              )}
              <button type="button" onClick={() => setView('reschedule')}>
                {t('reschedule')}
              </button>
              <button type="button" class="danger" onClick={() => setView('cancel')}>
                {t('cancelBooking')}
              </button>
            </div>
          )}
          <ErrorBox t={t} error={error} />
          <p>
            <button type="button" class="link" aria-expanded={showHistory ? 'true' : 'false'} onClick={() => setShowHistory(!showHistory)}>
              {t('history')}
            </button>
          </p>
          {showHistory && <History context={context} bookingId={booking.id} />}
        </>
      )}
      {view === 'reschedule' && (
        <RescheduleForm
          context={context}
          booking={booking}
          busy={busy}
          error={error}
          onSubmit={(body) => act(() => client.reschedule(booking.id, body), (b) => t('moved', { name: b.customer.name, when: formatDateTime(b.start, locale, timeZone) }))}
        />
      )}
      {view === 'cancel' && (
        <CancelForm
          context={context}
          busy={busy}
          error={error}
          onSubmit={(reason) => act(() => client.cancel(booking.id, reason), (b) => t('cancelledDone', { name: b.customer.name }))}
        />
      )}
      <div class="actions">
        {view !== 'details' && !props.view && (
          <button type="button" onClick={() => setView('details')}>
            {t('back')}
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}

function History(props: { context: StaffContext; bookingId: string }) {
  const { t, locale, timeZone, client } = props.context;
  const history = useLoad(() => client.history(props.bookingId), props.bookingId);
  if (history.loading && !history.data) return <Loading t={t} />;
  if (history.error) return <ErrorBox t={t} error={history.error} />;
  return (
    <ol class="history">
      {history.data?.entries.map((entry) => (
        <li key={entry.version}>
          {formatDateTime(entry.at, locale, timeZone)}: {t(`action_${entry.action}` as StaffMessageKey)} —{' '}
          {entry.actor.kind === 'staff' ? (entry.actor.email ?? entry.actor.role) : t(entry.actor.kind === 'customer' ? 'actorCustomer' : 'actorSystem')}
          {entry.after && ` (${formatDateTime(entry.after.start, locale, timeZone)})`}
          {entry.reason && ` · ${entry.reason}`}
          {entry.override && ` · ${t('override')}: ${entry.override.reason}`}
        </li>
      ))}
    </ol>
  );
}

/** Open times of one service, provider and local date, as toggle buttons. */
export function OpenTimes(props: {
  context: StaffContext;
  serviceId: string;
  providerId: string;
  date: string;
  selected?: string | undefined;
  onSelect(start: string): void;
}) {
  const { t, locale, timeZone, client } = props.context;
  const key = `${props.serviceId}|${props.providerId}|${props.date}`;
  const slots = useLoad(
    () => (props.date ? client.availability({ serviceId: props.serviceId, providerId: props.providerId, from: props.date, to: props.date, timeZone }) : Promise.resolve({ slots: [] })),
    key,
  );
  if (slots.loading) return <Loading t={t} />;
  if (slots.error) return <ErrorBox t={t} error={slots.error} />;
  const list = slots.data?.slots ?? [];
  if (list.length === 0) return <p class="muted">{t('noOpenTimes')}</p>;
  return (
    <ul class="times" aria-label={t('openTimes')}>
      {list.map((slot) => (
        <li key={slot.start}>
          <button type="button" class="time" aria-pressed={slot.start === props.selected ? 'true' : 'false'} onClick={() => props.onSelect(slot.start)}>
            {formatTime(slot.start, locale, timeZone)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The providers who offer a service (active ones). */
export const providersFor = (context: StaffContext, service: StaffService | undefined): StaffProvider[] =>
  context.tenant.providers.filter((p) => p.active && (!service || service.providerIds.includes(p.id)));

/** When: an open time, or with an override a typed time and the reason the rules are set aside. */
export function TimeChoice(props: {
  context: StaffContext;
  serviceId: string;
  providerId: string;
  date: string;
  onDate(date: string): void;
  start?: string | undefined;
  onStart(start: string | undefined): void;
  override: { on: boolean; time: string; reason: string };
  onOverride(value: { on: boolean; time: string; reason: string }): void;
  error?: ApiError | undefined;
}) {
  const { context, override } = props;
  const { t, locale, timeZone } = context;
  const overrideId = useId('override');
  return (
    <>
      <Field label={t('date')} error={issueFor(props.error, 'body.start')}>
        {(id, describedBy) => (
          <input
            id={id}
            type="date"
            value={props.date}
            aria-describedby={describedBy}
            onInput={(e) => {
              props.onDate(e.currentTarget.value);
              props.onStart(undefined);
            }}
          />
        )}
      </Field>
      <p class="hint">{t('timesIn', { zone: zoneLabel(timeZone, locale, Date.now()) })}</p>
      {!override.on && props.date && (
        <OpenTimes context={context} serviceId={props.serviceId} providerId={props.providerId} date={props.date} selected={props.start} onSelect={props.onStart} />
      )}
      <div class="check">
        <input id={overrideId} type="checkbox" checked={override.on} onChange={(e) => props.onOverride({ ...override, on: e.currentTarget.checked })} />
        <label for={overrideId}>{t('overrideLabel')}</label>
      </div>
      {override.on && (
        <>
          <Field label={t('time')}>
            {(id) => <input id={id} type="time" step={300} value={override.time} onInput={(e) => props.onOverride({ ...override, time: e.currentTarget.value })} />}
          </Field>
          <Field label={t('overrideReason')} hint={t('overrideHint')} error={issueFor(props.error, 'body.override')}>
            {(id, describedBy) => (
              <input id={id} required minLength={3} value={override.reason} aria-describedby={describedBy} onInput={(e) => props.onOverride({ ...override, reason: e.currentTarget.value })} />
            )}
          </Field>
        </>
      )}
    </>
  );
}

/** The start a TimeChoice describes, or undefined while it is incomplete. */
export function chosenStart(date: string, start: string | undefined, override: { on: boolean; time: string }, timeZone: string): string | undefined {
  if (override.on) return date && /^\d\d:\d\d$/.test(override.time) ? instantOf(date, override.time, timeZone) : undefined;
  return start;
}

function RescheduleForm(props: {
  context: StaffContext;
  booking: Booking;
  busy: boolean;
  error?: ApiError | undefined;
  onSubmit(body: { start: string; providerId?: string; override?: { reason: string } }): void;
}) {
  const { context, booking } = props;
  const { t, timeZone } = context;
  const service = context.tenant.services.find((s) => s.id === booking.serviceId);
  const [providerId, setProviderId] = useState(booking.providerId);
  const [date, setDate] = useState(localDateOf(booking.start, timeZone));
  const [start, setStart] = useState<string>();
  const [override, setOverride] = useState({ on: false, time: '', reason: '' });
  const [missing, setMissing] = useState(false);
  const target = chosenStart(date, start, override, timeZone);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!target || (override.on && override.reason.trim().length < 3)) {
          setMissing(true);
          return;
        }
        props.onSubmit({ start: target, ...(providerId !== booking.providerId ? { providerId } : {}), ...(override.on ? { override: { reason: override.reason.trim() } } : {}) });
      }}
    >
      <Field label={t('provider')}>
        {(id) => (
          <select
            id={id}
            value={providerId}
            onChange={(e) => {
              setProviderId(e.currentTarget.value);
              setStart(undefined);
            }}
          >
            {providersFor(context, service).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TimeChoice
        context={context}
        serviceId={booking.serviceId}
        providerId={providerId}
        date={date}
        onDate={setDate}
        start={start}
        onStart={setStart}
        override={override}
        onOverride={setOverride}
        error={props.error}
      />
      {missing && !target && (
        <p role="alert" class="error">
          {t('chooseTime')}
        </p>
      )}
      {missing && target && override.on && override.reason.trim().length < 3 && (
        <p role="alert" class="error">
          {t('overrideHint')}
        </p>
      )}
      <ErrorBox t={t} error={props.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          {t('confirmMove')}
        </button>
      </div>
    </form>
  );
}

function CancelForm(props: { context: StaffContext; busy: boolean; error?: ApiError | undefined; onSubmit(reason: string): void }) {
  const { t } = props.context;
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit(reason.trim());
      }}
    >
      <p>{t('cancelExplain')}</p>
      <Field label={t('cancelReason')} error={issueFor(props.error, 'body.reason')}>
        {(id, describedBy) => <textarea id={id} rows={2} maxLength={500} value={reason} aria-describedby={describedBy} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <ErrorBox t={t} error={props.error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={props.busy}>
          {t('confirmCancel')}
        </button>
      </div>
    </form>
  );
}

/** A block: when and why, and removing it (its time becomes bookable again). */
export function BlockDialog(props: { context: StaffContext; block: Block; onClose(): void; onChanged(message: string): void }) {
  const { t, locale, timeZone, client } = props.context;
  const { block } = props;
  const [error, setError] = useState<ApiError>();
  return (
    <Dialog title={t('blockedTime')} onClose={props.onClose}>
      <p>
        {formatDateTime(block.start, locale, timeZone)}–{formatTime(block.end, locale, timeZone)}
        {block.reason && ` · ${block.reason}`}
      </p>
      <ErrorBox t={t} error={error} />
      <div class="actions">
        <button
          type="button"
          class="danger"
          onClick={async () => {
            try {
              await client.deleteBlock(block.providerId, block.id);
              props.onChanged(t('blockRemoved'));
            } catch (caught) {
              setError(asApiError(caught));
            }
          }}
        >
          {t('removeBlock')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}
