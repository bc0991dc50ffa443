import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import { chosenStart, providersFor, TimeChoice } from '../lib/booking-dialog.tsx';
import { languageNames, languages } from '../lib/lang.ts';
import type { Booking } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { asApiError, dateParam, Field, issueFor, Link, ScreenHeading, FormProblems } from '../lib/staff-ui.tsx';
import { formatDateTime } from '../lib/time.ts';
import { today } from '../lib/zoned.ts';

/**
 * Booking on behalf of a caller: service, person, an open time (or, with an override and its
 * reason, any time the day sheets leave free: decision 33), and the caller's details — filled in
 * from their card when opened from it. The confirmation mail goes to the customer as usual.
 */
export function NewBookingScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, locale, timeZone, client, place, tenant } = context;
  const query = new URLSearchParams(place.search);
  const services = tenant.services.filter((s) => s.active);
  const [serviceId, setServiceId] = useState(query.get('service') ?? services[0]?.id ?? '');
  const service = services.find((s) => s.id === serviceId);
  const offering = providersFor(context, service);
  const [providerId, setProviderId] = useState(query.get('provider') ?? offering[0]?.id ?? '');
  const [date, setDate] = useState(dateParam(query.get('date')) ?? today(timeZone));
  const [start, setStart] = useState<string>();
  const [override, setOverride] = useState({ on: false, time: '', reason: '' });
  const [customer, setCustomer] = useState({ name: '', email: '', phone: '', locale: tenant.tenant.locale.slice(0, 2), notes: '' });
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Booking>();
  const customerId = query.get('customer');

  // From a caller card: their details, so reception does not type them again.
  useEffect(() => {
    if (!customerId) return;
    client.customer(customerId).then(
      (card) =>
        setCustomer((c) => ({
          ...c,
          name: card.customer.name ?? c.name,
          email: card.customer.emails[0] ?? c.email,
          phone: card.customer.phones[0] ?? c.phone,
          locale: card.customer.locale?.slice(0, 2) ?? c.locale,
        })),
      (caught: unknown) => setError(asApiError(caught)),
    );
  }, [customerId]);
  useEffect(() => {
    if (!offering.some((p) => p.id === providerId)) setProviderId(offering[0]?.id ?? '');
  }, [serviceId]);

  const target = chosenStart(date, start, override, timeZone);
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setError(undefined);
    if (!target) return setProblem(t('chooseTime'));
    if (override.on && override.reason.trim().length < 3) return setProblem(t('overrideHint'));
    if (!customer.name.trim() || !customer.email.trim()) return setProblem(t('nameEmailNeeded'));
    setBusy(true);
    try {
      const result = await client.createBooking({
        serviceId,
        providerId,
        start: target,
        customer: { name: customer.name.trim(), email: customer.email.trim(), ...(customer.phone.trim() ? { phone: customer.phone.trim() } : {}), locale: customer.locale },
        ...(customer.notes.trim() ? { notes: customer.notes.trim() } : {}),
        ...(override.on ? { override: { reason: override.reason.trim() } } : {}),
      });
      setBooked(result.booking);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  if (booked) {
    return (
      <>
        <ScreenHeading title={t('bookedTitle')} business={tenant.tenant.name} />
        <p role="status" class="success">
          {t('bookedDone', { name: booked.customer.name, when: formatDateTime(booked.start, locale, timeZone), email: booked.customer.email })}
        </p>
        <p class="actions">
          <Link href={`/desk/day?date=${date}`}>{t('navDay')}</Link>
          <Link href="/desk/">{t('findCaller')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <ScreenHeading title={t('newBooking')} business={tenant.tenant.name} />
      <form onSubmit={submit} noValidate class="two-columns">
        <fieldset>
          <legend>{t('appointment')}</legend>
          <Field label={t('service')} error={issueFor(error, 'body.serviceId')}>
            {(id, describedBy) => (
              <select
                id={id}
                value={serviceId}
                aria-describedby={describedBy}
                onChange={(e) => {
                  setServiceId(e.currentTarget.value);
                  setStart(undefined);
                }}
              >
                {services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('provider')} error={issueFor(error, 'body.providerId')}>
            {(id, describedBy) => (
              <select
                id={id}
                value={providerId}
                aria-describedby={describedBy}
                onChange={(e) => {
                  setProviderId(e.currentTarget.value);
                  setStart(undefined);
                }}
              >
                {offering.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {serviceId && providerId && (
            <TimeChoice
              context={context}
              serviceId={serviceId}
              providerId={providerId}
              date={date}
              onDate={setDate}
              start={start}
              onStart={setStart}
              override={override}
              onOverride={setOverride}
              error={error}
            />
          )}
        </fieldset>
        <fieldset>
          <legend>{t('customer')}</legend>
          <Field label={t('name')} error={issueFor(error, 'body.customer.name')}>
            {(id, describedBy) => (
              <input id={id} autocomplete="off" required value={customer.name} aria-describedby={describedBy} onInput={(e) => setCustomer({ ...customer, name: e.currentTarget.value })} />
            )}
          </Field>
          <Field label={t('email')} error={issueFor(error, 'body.customer.email')}>
            {(id, describedBy) => (
              <input id={id} type="email" autocomplete="off" required value={customer.email} aria-describedby={describedBy} onInput={(e) => setCustomer({ ...customer, email: e.currentTarget.value })} />
            )}
          </Field>
          <Field label={t('phoneOptional')} error={issueFor(error, 'body.customer.phone')}>
            {(id, describedBy) => (
              <input id={id} type="tel" autocomplete="off" value={customer.phone} aria-describedby={describedBy} onInput={(e) => setCustomer({ ...customer, phone: e.currentTarget.value })} />
            )}
          </Field>
          <Field label={t('mailLanguage')}>
            {(id) => (
              <select id={id} value={customer.locale} onChange={(e) => setCustomer({ ...customer, locale: e.currentTarget.value })}>
                {languages.map((l) => (
                  <option key={l} value={l}>
                    {languageNames[l]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('notesOptional')}>
            {(id) => <textarea id={id} rows={2} maxLength={2000} value={customer.notes} onInput={(e) => setCustomer({ ...customer, notes: e.currentTarget.value })} />}
          </Field>
        </fieldset>
        <div class="form-end">
          <FormProblems t={t} problem={problem} error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('bookNow')}
            </button>
          </div>
        </div>
      </form>
    </>
  );
}
