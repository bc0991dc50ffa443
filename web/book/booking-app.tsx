import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type RebookSuggestions, type Slot, type Tenant } from '../lib/api.ts';
import type { MessageKey } from '../lib/i18n.ts';
import { fragment, navigate, type Place } from '../lib/router.ts';
import { addDays, formatDate, formatDateTime, formatTime, localDateOf, monthOf, zoneLabel } from '../lib/time.ts';
import { backTo, consentTextVersion, emptyDetails, nearestSlots, readFlow, stepOf, steps, validateDetails, writeFlow, type Details, type DetailsErrors, type FlowState, type Step } from './flow.ts';
import { DateGrid, forgetAvailability, slotsBetween, TimeList, useMonthSlots, ZoneNote } from './picker.tsx';
import { ErrorNote, formatPrice, pageContext, randomKey, Shell, StepHeading, useTenant, type Context } from './shell.tsx';

const stepTitle: Record<Step, MessageKey> = {
  service: 'chooseService',
  provider: 'chooseProvider',
  date: 'chooseDate',
  time: 'chooseTime',
  details: 'stepDetails',
  review: 'stepReview',
};
const stepName: Record<Step, MessageKey> = {
  service: 'stepService',
  provider: 'stepProvider',
  date: 'stepDate',
  time: 'stepTime',
  details: 'stepDetails',
  review: 'stepReview',
};

const detailsKey = (tenantId: string) => `kairos:details:${tenantId}`;

function loadDetails(tenantId: string): Details {
  try {
    const stored = sessionStorage.getItem(detailsKey(tenantId));
    return stored ? { ...emptyDetails, ...(JSON.parse(stored) as Partial<Details>) } : emptyDetails;
  } catch {
    return emptyDetails;
  }
}

function saveDetails(tenantId: string, details: Details) {
  try {
    sessionStorage.setItem(detailsKey(tenantId), JSON.stringify(details));
  } catch {
    // Private mode without storage: the form still works, it just does not survive a refresh.
  }
}

/** One Idempotency-Key per slot attempt: a retry after a lost answer replays instead of booking twice. */
function idempotencyKey(tenantId: string, flow: FlowState): string {
  const key = `kairos:idem:${tenantId}:${flow.service}:${flow.provider}:${flow.start}`;
  try {
    const existing = sessionStorage.getItem(key);
    if (existing) return existing;
    const fresh = randomKey();
    sessionStorage.setItem(key, fresh);
    return fresh;
  } catch {
    return randomKey();
  }
}

export function BookingApp(props: { tenantId: string; place: Place }) {
  const { tenantId, place } = props;
  const flow = readFlow(place.search);
  const { tenant, error } = useTenant(tenantId);
  const context = pageContext(flow.lang, flow.tz, tenant);
  const go = (next: FlowState, options: { replace?: boolean } = {}) => navigate(`${place.path}${writeFlow(next)}${place.hash}`, options);
  const [details, setDetailsState] = useState<Details>(() => loadDetails(tenantId));
  const setDetails = (next: Details) => {
    setDetailsState(next);
    saveDetails(tenantId, next);
  };
  const suggestions = useRebook(flow, place, details, setDetails, go);

  const step = stepOf(flow);
  const { t } = context;
  const title = t(stepTitle[step]);

  return (
    <Shell context={context} title={t('title')} business={tenant?.name} onLanguage={(lang) => go({ ...flow, lang }, { replace: true })}>
      {error?.status === 404 ? (
        <p role="alert">{t('notFound')}</p>
      ) : error ? (
        <ErrorNote t={t} error={error} onRetry={() => location.reload()} />
      ) : !tenant ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <>
          <h1>{t('title')}</h1>
          <p class="progress">
            {t('stepOf', { n: steps.indexOf(step) + 1, total: steps.length })}: {t(stepName[step])}
          </p>
          <Choices context={context} tenant={tenant} flow={flow} step={step} go={go} />
          <section aria-labelledby="step-title" class="step">
            <StepHeading focusKey={step}>
              <span id="step-title">{title}</span>
            </StepHeading>
            <StepBody context={context} tenant={tenant} flow={flow} step={step} go={go} details={details} setDetails={setDetails} suggestions={suggestions} place={place} />
          </section>
        </>
      )}
    </Shell>
  );
}

/** Book again: the returning customer's details filled in, their usual provider and times first. */
function useRebook(flow: FlowState, place: Place, details: Details, setDetails: (d: Details) => void, go: (next: FlowState, o?: { replace?: boolean }) => void) {
  const [suggestions, setSuggestions] = useState<RebookSuggestions>();
  const token = fragment(place.hash).get('token');
  useEffect(() => {
    if (!flow.rebook || !token) return;
    let live = true;
    api.rebookSuggestions(flow.rebook, token).then(
      (found) => {
        if (!live) return;
        setSuggestions(found);
        if (!details.name && !details.email) {
          setDetails({ ...details, name: found.customer.name, email: found.customer.email, phone: found.customer.phone ?? '' });
        }
        if (!flow.service) go({ ...flow, service: found.serviceId, provider: found.providerId, tz: flow.tz ?? found.timeZone }, { replace: true });
      },
      // A stale or foreign link: the page still books, only without suggestions.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [flow.rebook, token]);
  return suggestions;
}

interface StepProps {
  context: Context;
  tenant: Tenant;
  flow: FlowState;
  step: Step;
  go(next: FlowState, options?: { replace?: boolean }): void;
}

/** What has been chosen so far, each with a way back to change it. */
function Choices({ context, tenant, flow, step, go }: StepProps) {
  const { t, locale, timeZone } = context;
  const service = tenant.services.find((s) => s.id === flow.service);
  const provider = flow.provider === 'any' ? t('anyProvider') : tenant.providers.find((p) => p.id === flow.provider)?.name;
  const rows: Array<{ step: Step; label: string; value: string }> = [];
  if (service && step !== 'service') rows.push({ step: 'service', label: t('service'), value: service.name });
  if (provider && steps.indexOf(step) > steps.indexOf('provider')) rows.push({ step: 'provider', label: t('with'), value: provider });
  if (flow.date && steps.indexOf(step) > steps.indexOf('date')) rows.push({ step: 'date', label: t('stepDate'), value: formatDate(flow.date, locale) });
  if (flow.start && steps.indexOf(step) > steps.indexOf('time')) rows.push({ step: 'time', label: t('stepTime'), value: formatTime(flow.start, locale, timeZone) });
  if (rows.length === 0 || step === 'review') return null;
  return (
    <dl class="choices">
      {rows.map((row) => (
        <div key={row.step}>
          <dt>{row.label}</dt>
          <dd>
            {row.value}{' '}
            <button type="button" class="link" onClick={() => go(backTo(flow, row.step))} aria-label={`${row.label}: ${t('change')}`}>
              {t('change')}
            </button>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function StepBody(props: StepProps & { details: Details; setDetails(d: Details): void; suggestions?: RebookSuggestions | undefined; place: Place }) {
  switch (props.step) {
    case 'service':
      return <ServiceStep {...props} />;
    case 'provider':
      return <ProviderStep {...props} />;
    case 'date':
      return <DateStep {...props} />;
    case 'time':
      return <TimeStep {...props} />;
    case 'details':
      return <DetailsStep {...props} />;
    case 'review':
      return <ReviewStep {...props} />;
  }
}

function ServiceStep({ context, tenant, flow, go }: StepProps) {
  const { t, locale } = context;
  return (
    <ul class="options">
      {tenant.services.map((service) => (
        <li key={service.id}>
          <button type="button" class="option" onClick={() => go({ ...flow, service: service.id, provider: service.providerIds.length === 1 ? service.providerIds[0] : undefined })}>
            <strong>{service.name}</strong>
            <span>
              {t('minutes', { n: service.durationMinutes })}
              {service.price ? ` · ${formatPrice(service.price.amount, service.price.currency, locale, t)}` : ''}
            </span>
            {service.description && <span class="muted">{service.description}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}

function ProviderStep({ context, tenant, flow, go }: StepProps) {
  const { t } = context;
  const service = tenant.services.find((s) => s.id === flow.service);
  if (!service) return <UnknownChoice {...{ context, tenant, flow, go }} />;
  const providers = tenant.providers.filter((p) => service.providerIds.includes(p.id));
  return (
    <ul class="options">
      <li>
        <button type="button" class="option" onClick={() => go({ ...flow, provider: 'any' })}>
          <strong>{t('anyProvider')}</strong>
          <span class="muted">{t('anyProviderHint')}</span>
        </button>
      </li>
      {providers.map((provider) => (
        <li key={provider.id}>
          <button type="button" class="option" onClick={() => go({ ...flow, provider: provider.id })}>
            <strong>{provider.name}</strong>
          </button>
        </li>
      ))}
    </ul>
  );
}

function UnknownChoice({ context, flow, go }: Pick<StepProps, 'context' | 'tenant' | 'flow' | 'go'>) {
  return (
    <div role="alert" class="error">
      <p>{context.t('notFound')}</p>
      <button type="button" onClick={() => go(backTo(flow, 'service'))}>
        {context.t('back')}
      </button>
    </div>
  );
}

const providerParam = (flow: FlowState) => (flow.provider && flow.provider !== 'any' ? flow.provider : undefined);

function bounds(tenant: Tenant, serviceId: string | undefined, timeZone: string) {
  const service = tenant.services.find((s) => s.id === serviceId);
  const today = localDateOf(Date.now(), timeZone);
  return { service, today, min: today, max: addDays(today, service?.horizonDays ?? 60) };
}

function DateStep(props: StepProps & { suggestions?: RebookSuggestions | undefined; details: Details }) {
  const { context, tenant, flow, go, suggestions } = props;
  const { t, locale, timeZone } = context;
  const { service, today, min, max } = bounds(tenant, flow.service, timeZone);
  const month = flow.month ?? monthOf(today);
  const slots = useMonthSlots(tenant.id, flow.service ?? '', providerParam(flow), timeZone, month, min, max);
  if (!service) return <UnknownChoice {...props} />;
  const showSuggestions = suggestions && suggestions.serviceId === flow.service && suggestions.providerId === flow.provider && suggestions.slots.length > 0;
  return (
    <>
      {showSuggestions && <Suggestions {...props} suggestions={suggestions} />}
      <ZoneNote t={t} locale={locale} timeZone={timeZone} onChange={(tz) => go({ ...flow, tz }, { replace: true })} />
      <DateGrid
        t={t}
        locale={locale}
        month={month}
        onMonth={(m) => go({ ...flow, month: m }, { replace: true })}
        selected={flow.date}
        today={today}
        min={min}
        max={max}
        slots={slots}
        onSelect={(date) => go({ ...flow, date, month: undefined })}
      />
    </>
  );
}

function Suggestions({ context, flow, go, suggestions, details }: StepProps & { suggestions: RebookSuggestions; details: Details }) {
  const { t, locale, timeZone } = context;
  const usual = suggestions.slots.filter((s) => s.matchesUsual);
  const shown = (usual.length ? usual : suggestions.slots).slice(0, 4);
  const firstName = (details.name || suggestions.customer.name).split(' ')[0] ?? '';
  return (
    <section class="suggestions" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">{t('suggestedTitle', { name: firstName })}</h3>
      <p>{t(usual.length ? 'suggestedUsual' : 'suggestedNext', { provider: suggestions.providerName })}</p>
      <ul class="times wide">
        {shown.map((slot) => (
          <li key={slot.start}>
            <button type="button" class="time" onClick={() => go({ ...flow, date: localDateOf(slot.start, timeZone), start: slot.start, month: undefined })}>
              {formatDateTime(slot.start, locale, timeZone)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TimeStep(props: StepProps) {
  const { context, tenant, flow, go } = props;
  const { t, locale, timeZone } = context;
  const { min, max } = bounds(tenant, flow.service, timeZone);
  const date = flow.date!;
  const slots = useMonthSlots(tenant.id, flow.service ?? '', providerParam(flow), timeZone, monthOf(date), min, max);
  const today = slots.byDate.get(date) ?? [];
  return (
    <>
      <p class="day">{formatDate(date, locale)}</p>
      <ZoneNote t={t} locale={locale} timeZone={timeZone} onChange={(tz) => go({ ...backTo(flow, 'date'), tz }, { replace: true })} />
      {slots.loading ? (
        <p role="status">{t('loading')}</p>
      ) : slots.error ? (
        <ErrorNote t={t} error={slots.error} />
      ) : today.length === 0 ? (
        <p role="status">{t('noTimesThisDay')}</p>
      ) : (
        <TimeList t={t} locale={locale} timeZone={timeZone} slots={today} selected={flow.start} label={formatDate(date, locale)} onSelect={(slot) => go({ ...flow, start: slot.start })} />
      )}
      <p>
        <button type="button" class="link" onClick={() => go(backTo(flow, 'date'))}>
          {t('otherDay')}
        </button>
      </p>
    </>
  );
}

const fieldOrder = ['name', 'email', 'phone'] as const;

function DetailsStep({ context, tenant, flow, go, details, setDetails }: StepProps & { details: Details; setDetails(d: Details): void }) {
  const { t, lang } = context;
  const [errors, setErrors] = useState<DetailsErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const update = (field: keyof Details, value: string | boolean) => {
    const next = { ...details, [field]: value };
    setDetails(next);
    if (submitted) setErrors(validateDetails(next));
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const found = validateDetails(details);
    setErrors(found);
    setSubmitted(true);
    const first = fieldOrder.find((field) => found[field]);
    if (first) {
      form.current?.querySelector<HTMLElement>(`#field-${first}`)?.focus();
      return;
    }
    go({ ...flow, step: 'review' });
  };
  const text = (field: 'name' | 'email' | 'phone', label: string, type: 'text' | 'email' | 'tel', autocomplete: string, hint?: string) => {
    const error = errors[field];
    const describedBy = [hint ? `hint-${field}` : '', error ? `error-${field}` : ''].filter(Boolean).join(' ');
    return (
      <div class={error ? 'field invalid' : 'field'}>
        <label for={`field-${field}`}>{label}</label>
        {hint && (
          <p class="hint" id={`hint-${field}`}>
            {hint}
          </p>
        )}
        <input
          id={`field-${field}`}
          name={field}
          // Preact types each input type separately; a union of three does not narrow to one of them.
          type={type as 'text'}
          autocomplete={autocomplete}
          value={details[field]}
          required={field !== 'phone'}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(event) => update(field, event.currentTarget.value)}
        />
        {error && (
          <p class="field-error" id={`error-${field}`}>
            {t(error)}
          </p>
        )}
      </div>
    );
  };
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form ref={form} onSubmit={submit} noValidate>
      {hasErrors && (
        <p role="alert" class="error">
          {t('fixErrors')}
        </p>
      )}
      {text('name', t('name'), 'text', 'name')}
      {text('email', t('email'), 'email', 'email', t('emailHint'))}
      {text('phone', t('phone'), 'tel', 'tel')}
      <div class="field">
        <label for="field-notes">{t('notes')}</label>
        <textarea id="field-notes" name="notes" rows={3} maxLength={2000} value={details.notes} onInput={(event) => update('notes', event.currentTarget.value)} />
      </div>
      <div class="check">
        <input id="field-consent" type="checkbox" checked={details.marketingConsent} onChange={(event) => update('marketingConsent', event.currentTarget.checked)} />
        <label for="field-consent">{tenant.consent?.marketing[lang] ?? t('marketing', { tenant: tenant.name })}</label>
      </div>
      <p>
        <a href={tenant.consent?.privacyUrl ?? `/book/${encodeURIComponent(tenant.id)}/privacy?lang=${lang}`} target="_blank" rel="noopener">
          {t('privacy')}
        </a>
      </p>
      <div class="actions">
        <button type="submit" class="primary">
          {t('continue')}
        </button>
      </div>
    </form>
  );
}

type Problem = { kind: 'taken' | 'gone'; lost: string; offers: Slot[] } | { kind: 'error'; error: ApiError };

function ReviewStep({ context, tenant, flow, go, details }: StepProps & { details: Details }) {
  const { t, locale, timeZone, lang } = context;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const problemRef = useRef<HTMLDivElement>(null);
  const service = tenant.services.find((s) => s.id === flow.service);
  const provider = flow.provider === 'any' ? undefined : tenant.providers.find((p) => p.id === flow.provider);
  // The details step must have been passed: a shared review link without details goes back there.
  const invalid = Object.keys(validateDetails(details)).length > 0;
  useEffect(() => {
    if (invalid) go({ ...flow, step: undefined }, { replace: true });
  }, [invalid]);
  useEffect(() => setProblem(undefined), [flow.start]);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);
  if (!service || !flow.start) return <UnknownChoice {...{ context, tenant, flow, go }} />;

  const confirm = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const phone = details.phone.trim();
      const notes = details.notes.trim();
      const created = await api.createBooking(
        tenant.id,
        {
          serviceId: service.id,
          ...(provider ? { providerId: provider.id } : {}),
          start: flow.start!,
          customer: {
            name: details.name.trim(),
            email: details.email.trim(),
            ...(phone ? { phone } : {}),
            locale: lang,
            timeZone,
            ...(details.marketingConsent ? { marketingConsent: true, consentTextVersion: consentTextVersion(lang, tenant) } : {}),
          },
          ...(notes ? { notes } : {}),
        },
        idempotencyKey(tenant.id, flow),
      );
      forgetAvailability();
      const q = new URLSearchParams({ confirmed: '1', lang, tz: timeZone });
      navigate(`/manage/${encodeURIComponent(created.booking.id)}?${q}#token=${encodeURIComponent(created.manageToken)}`, { replace: true });
    } catch (error) {
      const failure = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
      if (failure.code === 'slot_taken' || failure.code === 'slot_unavailable') {
        forgetAvailability();
        const date = localDateOf(flow.start!, timeZone);
        const around = await slotsBetween(tenant.id, service.id, providerParam(flow), timeZone, addDays(date, -1), addDays(date, 1)).catch(() => new Map<string, Slot[]>());
        const open = [...around.values()].flat().filter((slot) => Date.parse(slot.start) > Date.now());
        setProblem({ kind: failure.code === 'slot_taken' ? 'taken' : 'gone', lost: flow.start!, offers: nearestSlots(open, flow.start!, 6) });
      } else {
        setProblem({ kind: 'error', error: failure });
      }
    } finally {
      setBusy(false);
    }
  };

  const row = (label: string, value: string, back?: Step) => (
    <div>
      <dt>{label}</dt>
      <dd>
        {value}{' '}
        {back && (
          <button type="button" class="link" onClick={() => go(back === 'details' ? { ...flow, step: undefined } : backTo(flow, back))} aria-label={`${label}: ${t('change')}`}>
            {t('change')}
          </button>
        )}
      </dd>
    </div>
  );
  return (
    <>
      {problem && (
        <div class="recovery" role="alert" tabIndex={-1} ref={problemRef}>
          {problem.kind === 'error' ? (
            <p>{problem.error.status === 0 ? t('networkError') : t('genericError', { message: problem.error.message })}</p>
          ) : (
            <>
              <p>{t(problem.kind === 'taken' ? 'slotTaken' : 'slotGone', { time: formatDateTime(problem.lost, locale, timeZone) })}</p>
              {problem.offers.length === 0 ? (
                <p>{t('noNearby')}</p>
              ) : (
                <ul class="times wide" aria-label={t('chooseTime')}>
                  {problem.offers.map((slot) => (
                    <li key={slot.start}>
                      <button type="button" class="time" onClick={() => go({ ...flow, date: localDateOf(slot.start, timeZone), start: slot.start, step: 'review' })}>
                        {formatDateTime(slot.start, locale, timeZone)}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
      <dl class="summary">
        {row(t('service'), service.name, 'service')}
        {row(t('with'), provider?.name ?? t('anyProvider'), 'provider')}
        {row(t('when'), formatDateTime(flow.start, locale, timeZone), 'date')}
        {row(t('timeZone'), zoneLabel(timeZone, locale, Date.parse(flow.start)))}
        {service.price && row(t('price'), formatPrice(service.price.amount, service.price.currency, locale, t))}
        {row(t('yourDetails'), [details.name, details.email, details.phone].filter(Boolean).join(' · '), 'details')}
      </dl>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} aria-disabled={busy ? 'true' : undefined} onClick={() => void confirm()}>
          {busy ? t('booking') : t('book')}
        </button>
      </div>
    </>
  );
}
