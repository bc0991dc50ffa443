import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.ts';
import { isLang, type MessageKey } from '../lib/i18n.ts';
import { fragment, navigate, type Place } from '../lib/router.ts';
import { formatDateTime, isValidZone } from '../lib/time.ts';
import { offerNames, offerOf } from './offer.ts';
import { ZoneNote } from './picker.tsx';
import { ErrorNote, pageContext, Shell, useTenant } from './shell.tsx';

/**
 * The two pages behind the waitlist mail's links (decision 103; formats in
 * functions/adapters/links.ts): `/waitlist/<entry>/offer#token=<provider>.<start s>.<mac>` shows
 * the offered time and books it on a click (POST …/claim, the offer token as Bearer), and
 * `/waitlist/<entry>#token=…` asks, then takes the entry off the list (DELETE, the entry's manage
 * token). Opening either changes nothing: mail scanners open every link. The tokens stay in the
 * fragment and go only into the Authorization header.
 */

function usePageSettings(place: Place) {
  const q = new URLSearchParams(place.search);
  const urlLang = q.get('lang');
  const tz = q.get('tz');
  const context = pageContext(isLang(urlLang) ? urlLang : undefined, tz && isValidZone(tz) ? tz : undefined);
  const change = (name: 'lang' | 'tz', value: string) => navigate(`${place.path}?${new URLSearchParams({ ...Object.fromEntries(q), [name]: value })}${place.hash}`, { replace: true });
  return { context, change, token: fragment(place.hash).get('token') ?? '' };
}

/** A result that takes the focus when it appears: the button that led to it is gone. */
function Outcome(props: { kind: 'success' | 'error'; text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => ref.current?.focus(), [props.text]);
  return (
    <div ref={ref} tabIndex={-1} role={props.kind === 'error' ? 'alert' : 'status'} class={props.kind === 'error' ? 'error' : 'success'}>
      <p>{props.text}</p>
    </div>
  );
}

type OfferOutcome = 'booked' | 'taken' | 'unavailable' | 'expired' | 'invalid';
const outcomeText: Record<OfferOutcome, MessageKey> = {
  booked: 'offerBooked',
  taken: 'offerTaken',
  unavailable: 'offerUnavailable',
  expired: 'offerExpired',
  invalid: 'offerInvalid',
};

/** What a claim's refusal means for the customer (404 covers an altered token, a left entry and one that is over). */
export function offerOutcomeOf(error: ApiError): OfferOutcome | undefined {
  if (error.code === 'slot_taken') return 'taken';
  if (error.code === 'slot_unavailable') return 'unavailable';
  if (error.code === 'offer_expired') return 'expired';
  if (error.status === 404) return 'invalid';
  return undefined;
}

export function WaitlistOfferPage(props: { entryId: string; place: Place }) {
  const { place, entryId } = props;
  const { context, change, token } = usePageSettings(place);
  const { t, locale, timeZone, lang } = context;
  const offer = offerOf(token);
  const start = offer?.start;
  const query = new URLSearchParams(place.search);
  const { tenant } = useTenant(query.get('tenant') ?? undefined);
  const names = offerNames(tenant, query.get('service'), offer?.providerId);
  const [outcome, setOutcome] = useState<OfferOutcome | undefined>(start ? undefined : 'invalid');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const claim = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.claimWaitlistOffer(entryId, token);
      if (created.booking?.id && created.manageToken) {
        const query = new URLSearchParams({ confirmed: '1', ...(new URLSearchParams(place.search).get('lang') ? { lang } : {}) });
        navigate(`/manage/${encodeURIComponent(created.booking.id)}?${query}#token=${encodeURIComponent(created.manageToken)}`, { replace: true });
        return;
      }
      setOutcome('booked');
    } catch (caught) {
      const failure = caught instanceof ApiError ? caught : new ApiError(0, 'network', String(caught));
      const known = offerOutcomeOf(failure);
      if (known) setOutcome(known);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Shell context={context} title={t('offerTitle')} onLanguage={(next) => change('lang', next)}>
      <h1>{t('offerTitle')}</h1>
      {start && outcome !== 'invalid' && (
        <section aria-labelledby="offer-when">
          <h2 id="offer-when">{t('offerWhen')}</h2>
          <p class="offer-time">
            <strong>{formatDateTime(start, locale, timeZone)}</strong>
          </p>
          {names && (
            <p class="offer-what">
              {names.service} · {names.provider}
            </p>
          )}
          <ZoneNote t={t} locale={locale} timeZone={timeZone} onChange={(zone) => change('tz', zone)} />
          {!names && <p class="muted">{t('offerNamed')}</p>}
        </section>
      )}
      {outcome ? (
        <Outcome kind={outcome === 'booked' ? 'success' : 'error'} text={t(outcomeText[outcome])} />
      ) : (
        <>
          <p>{t('offerRace')}</p>
          {error && <ErrorNote t={t} error={error} />}
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void claim()}>
              {busy ? t('booking') : t('offerBook')}
            </button>
          </div>
        </>
      )}
    </Shell>
  );
}

export function WaitlistLeavePage(props: { entryId: string; place: Place }) {
  const { place, entryId } = props;
  const { context, change, token } = usePageSettings(place);
  const { t } = context;
  const [state, setState] = useState<'ask' | 'busy' | 'left' | 'invalid'>(token ? 'ask' : 'invalid');
  const [error, setError] = useState<ApiError>();

  const leave = async () => {
    setState('busy');
    setError(undefined);
    try {
      await api.leaveWaitlist(entryId, token);
      setState('left');
    } catch (caught) {
      const failure = caught instanceof ApiError ? caught : new ApiError(0, 'network', String(caught));
      if (failure.status === 404) setState('invalid');
      else {
        setError(failure);
        setState('ask');
      }
    }
  };

  return (
    <Shell context={context} title={t('waitlistTitle')} onLanguage={(next) => change('lang', next)}>
      <h1>{t('waitlistTitle')}</h1>
      {state === 'left' ? (
        <Outcome kind="success" text={t('leaveDone')} />
      ) : state === 'invalid' ? (
        <Outcome kind="error" text={t('leaveInvalid')} />
      ) : (
        <section class="recovery" aria-labelledby="leave-question">
          <h2 id="leave-question">{t('leaveQuestion')}</h2>
          <p>{t('leaveExplain')}</p>
          {error && <ErrorNote t={t} error={error} />}
          <div class="actions">
            <button type="button" class="danger" disabled={state === 'busy'} onClick={() => void leave()}>
              {t('leaveYes')}
            </button>
          </div>
        </section>
      )}
    </Shell>
  );
}
