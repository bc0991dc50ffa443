import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import { BookingDialog, providerName, serviceName, type BookingView } from '../lib/booking-dialog.tsx';
import { navigate } from '../lib/router.ts';
import type { Booking, CustomerProfile, Erasure } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import type { StaffMessageKey } from '../lib/staff-i18n.ts';
import { asApiError, Dialog, downloadJson, ErrorBox, Field, issueFor, Link, Loading, ScreenHeading, Status, useLoad, FormProblems } from '../lib/staff-ui.tsx';
import { formatDateTime, formatTime } from '../lib/time.ts';
import { looksLikeEmail, looksLikePhone } from './lookup.ts';

/**
 * Who is calling: one field takes a phone number in any format (looked up as the E.164 number the
 * API normalises it to), an e-mail (looked up exactly) or the beginning of a name (searched). A
 * phone or e-mail that finds one customer opens their card at once; anything else lists matches.
 */

export function CallerScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, place, tenant } = context;
  const q = new URLSearchParams(place.search).get('q') ?? '';
  const [text, setText] = useState(q);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    // What the field holds now, not the last rendered state: Enter right after fast typing (a
    // barcode-like paste, a keyboard-only user, the e2e test) may come before the re-render.
    const typed = new FormData(event.currentTarget as HTMLFormElement).get('q');
    const query = (typeof typed === 'string' ? typed : text).trim();
    setError(undefined);
    setProblem(undefined);
    if (query.length < 2) return setProblem(t('typeMore'));
    if (looksLikePhone(query) || looksLikeEmail(query)) {
      setBusy(true);
      try {
        const card = await client.lookup(looksLikePhone(query) ? { phone: query } : { email: query });
        navigate(`/desk/customers/${encodeURIComponent(card.customer.id)}`);
        return;
      } catch (caught) {
        const failure = asApiError(caught);
        // Not found by the exact number: search, which matches beginnings of numbers and names.
        if (failure.status !== 404 && failure.code !== 'invalid_request') return setError(failure);
      } finally {
        setBusy(false);
      }
    }
    navigate(`/desk/?q=${encodeURIComponent(query)}`);
  };

  return (
    <>
      <ScreenHeading title={t('findCaller')} business={tenant.tenant.name} />
      <form role="search" onSubmit={submit} class="search">
        <Field label={t('searchLabel')} hint={t('searchHint')}>
          {(id, describedBy) => (
            <input id={id} name="q" type="search" autocomplete="off" value={text} aria-describedby={describedBy} onInput={(e) => setText(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {t('search')}
        </button>
      </form>
      <FormProblems t={t} problem={problem} error={error} />
      {q && <SearchResults key={q} context={context} q={q} />}
    </>
  );
}

export function SearchResults(props: { context: StaffContext; q: string; hash?: string }) {
  const { t, client } = props.context;
  const results = useLoad(() => client.search(props.q), props.q);
  if (results.loading) return <Loading t={t} />;
  if (results.error) return <ErrorBox t={t} error={results.error} onRetry={results.reload} />;
  const hits = results.data?.customers ?? [];
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t('resultsFor', { q: props.q, n: hits.length })}</h2>
      {hits.length === 0 ? (
        <p>{t('noCustomerFound')}</p>
      ) : (
        <ul class="plain-list results">
          {hits.map((hit) => (
            <li key={hit.id}>
              <Link href={`/desk/customers/${encodeURIComponent(hit.id)}${props.hash ?? ''}`}>{hit.name ?? hit.emails[0] ?? hit.id}</Link>
              <span class="muted"> {[...hit.emails, ...hit.phones].join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href="/desk/book">{t('bookNewCustomer')}</Link>
      </p>
    </section>
  );
}

export function CustomerScreen(props: { context: StaffContext; customerId: string }) {
  const { context } = props;
  const { t, client, tenant } = context;
  const profile = useLoad(() => client.customer(props.customerId), props.customerId);
  const [dialog, setDialog] = useState<{ booking: Booking; view: BookingView }>();
  const [merging, setMerging] = useState<ProbableMatch>();
  const [status, setStatus] = useState<string>();
  const [erased, setErased] = useState<Erasure>();

  if (erased) {
    return (
      <>
        <ScreenHeading title={t('erasedTitle')} business={tenant.tenant.name} />
        <p role="status" class="success">
          {t('erasedDone', {
            bookings: erased.counts.bookings,
            events: erased.counts.events,
            messages: erased.counts.messages,
          })}
        </p>
        <p>
          <Link href="/desk/">{t('findCaller')}</Link>
        </p>
      </>
    );
  }
  if (profile.loading && !profile.data) return <Loading t={t} />;
  if (profile.error || !profile.data) {
    return (
      <>
        <ScreenHeading title={t('customer')} business={tenant.tenant.name} />
        {profile.error?.status === 404 ? <p>{t('noCustomerFound')}</p> : <ErrorBox t={t} error={profile.error} onRetry={profile.reload} />}
      </>
    );
  }
  const card = profile.data;
  const changed = (message: string) => {
    setDialog(undefined);
    setMerging(undefined);
    setStatus(message);
    profile.reload();
  };
  return (
    <>
      <CallerCard context={context} card={card} onOpen={(booking, view) => setDialog({ booking, view })} onMerge={setMerging} onChanged={changed} status={status} />
      {merging && <MergeDialog context={context} card={card} other={merging} onClose={() => setMerging(undefined)} onMerged={changed} />}
      {context.me.role === 'admin' && <DataRights context={context} card={card} onErased={setErased} />}
      {dialog && <BookingDialog context={context} booking={dialog.booking} view={dialog.view === 'details' ? undefined : dialog.view} onClose={() => setDialog(undefined)} onChanged={changed} />}
    </>
  );
}

function BookingLine(props: { context: StaffContext; booking: Booking; onOpen(booking: Booking, view: BookingView): void; upcoming: boolean }) {
  const { context, booking } = props;
  const { t, locale, timeZone } = context;
  const state = booking.status === 'cancelled' ? t('statusCancelled') : booking.attendance ? t(booking.attendance === 'attended' ? 'attended' : 'noShow') : undefined;
  const label = `${formatDateTime(booking.start, locale, timeZone)}–${formatTime(booking.end, locale, timeZone)}`;
  return (
    <li class="booking-line">
      <span>
        <strong>{label}</strong> · {serviceName(context, booking.serviceId)} · {providerName(context, booking.providerId)}
        {state && <span class={booking.status === 'cancelled' ? 'tag cancelled' : 'tag'}> {state}</span>}
      </span>
      <span class="line-actions">
        {props.upcoming && booking.status === 'confirmed' && (
          <>
            <button type="button" aria-label={`${t('reschedule')}: ${label}`} onClick={() => props.onOpen(booking, 'reschedule')}>
              {t('reschedule')}
            </button>
            <button type="button" class="danger" aria-label={`${t('cancelBooking')}: ${label}`} onClick={() => props.onOpen(booking, 'cancel')}>
              {t('cancelBooking')}
            </button>
          </>
        )}
        <button type="button" aria-label={`${t('details')}: ${label}`} onClick={() => props.onOpen(booking, 'details')}>
          {t('details')}
        </button>
      </span>
    </li>
  );
}

function CallerCard(props: {
  context: StaffContext;
  card: CustomerProfile;
  status?: string | undefined;
  onOpen(booking: Booking, view: BookingView): void;
  onMerge(other: ProbableMatch): void;
  onChanged(message: string): void;
}) {
  const { context, card } = props;
  const { t, locale, timeZone, tenant } = context;
  const { customer } = card;
  const name = customer.name ?? customer.emails[0] ?? customer.id;
  // Badge and action texts are written by the API in the business's language (decision 84).
  const textLang = tenant.tenant.locale.slice(0, 2);
  for (const m of customer.probableMatches) knownNames.set(m.id, matchName(m));
  const yesNo = (value: boolean) => t(value ? 'yes' : 'no');
  const timeline = [...card.timeline].reverse();
  return (
    <article class="caller-card" aria-labelledby="card-title">
      <ScreenHeading title={name} business={tenant.tenant.name}>
        <span id="card-title">{name}</span>
      </ScreenHeading>
      <Status message={props.status} />
      <section aria-labelledby="badges-title">
        <h2 id="badges-title">{t('badges')}</h2>
        {card.badges.length === 0 ? (
          <p class="muted">{t('noBadges')}</p>
        ) : (
          <ul class="badges" lang={textLang}>
            {card.badges.map((badge) => (
              <li key={badge.code} class={`badge-item badge-${badge.code}`}>
                <strong class="badge">{badge.label}</strong> <span class="reason">{badge.reason}</span>
              </li>
            ))}
          </ul>
        )}
        {card.nextBestAction && (
          <div class="next-action" lang={textLang}>
            <h3 lang={context.lang}>{t('nextBestAction')}</h3>
            <p>
              <strong>{card.nextBestAction.label}</strong> — {card.nextBestAction.reason}
            </p>
          </div>
        )}
      </section>
      <section aria-labelledby="record-title">
        <h2 id="record-title">{t('goldenRecord')}</h2>
        <dl class="summary">
          <div>
            <dt>{t('email')}</dt>
            <dd>{customer.emails.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>{t('phone')}</dt>
            <dd>{customer.phones.join(', ') || '—'}</dd>
          </div>
          {customer.locale && (
            <div>
              <dt>{t('language')}</dt>
              <dd>{customer.locale}</dd>
            </div>
          )}
          {customer.timeZone && (
            <div>
              <dt>{t('timeZone')}</dt>
              <dd>{customer.timeZone}</dd>
            </div>
          )}
          <div>
            <dt>{t('consent')}</dt>
            <dd>
              {t('consentMarketing')}: {yesNo(customer.consent.marketing)} · {t('consentReviews')}: {yesNo(customer.consent.reviews)}
            </dd>
          </div>
        </dl>
        {customer.probableMatches.length > 0 && (
          <div class="notice">
            <h3>{t('probableMatches')}</h3>
            <ul>
              {customer.probableMatches.map((m) => (
                <li key={m.id} class="match-line">
                  <span>
                    <Link href={`/desk/customers/${encodeURIComponent(m.id)}`}>{matchName(m)}</Link> · {[...m.emails, ...m.phones].join(' · ')}
                  </span>
                  <button type="button" aria-label={`${t('mergeSame')}: ${matchName(m)}`} onClick={() => props.onMerge(m)}>
                    {t('mergeSame')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {customer.merges.length > 0 && (
          <div class="merges">
            <h3>{t('merges')}</h3>
            <ul class="plain-list">
              {customer.merges.map((m) => (
                <MergeLine key={m.customerId} context={context} customerId={customer.id} merge={m} onChanged={props.onChanged} />
              ))}
            </ul>
          </div>
        )}
        <p>
          <Link class="button-link" href={`/desk/book?customer=${encodeURIComponent(customer.id)}`}>
            {t('bookForCustomer')}
          </Link>
        </p>
      </section>
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t('upcoming')}</h2>
        {card.upcoming.length === 0 ? (
          <p class="muted">{t('noUpcoming')}</p>
        ) : (
          <ul class="plain-list">
            {card.upcoming.map((b) => (
              <BookingLine key={b.id} context={context} booking={b} onOpen={props.onOpen} upcoming />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('recent')}</h2>
        {card.recent.length === 0 ? (
          <p class="muted">{t('noRecent')}</p>
        ) : (
          <ul class="plain-list">
            {card.recent.map((b) => (
              <BookingLine key={b.id} context={context} booking={b} onOpen={props.onOpen} upcoming={false} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('timeline')}</h2>
        {timeline.length === 0 ? (
          <p class="muted">{t('noEvents')}</p>
        ) : (
          <ol class="timeline">
            {timeline.map((event, i) => {
              const e = event as { id?: string; type?: string; at?: string; serviceId?: string; providerId?: string; start?: string; channel?: string; detail?: string };
              return (
                <li key={e.id ?? i}>
                  <span class="muted">{e.at ? formatDateTime(e.at, locale, timeZone) : ''}</span> {t(`ev_${e.type}` as StaffMessageKey)}
                  {e.serviceId && ` · ${serviceName(context, e.serviceId)}`}
                  {e.providerId && ` · ${providerName(context, e.providerId)}`}
                  {e.start && ` · ${t('appointmentAt', { when: formatDateTime(e.start, locale, timeZone) })}`}
                  {e.channel && ` · ${t(e.channel === 'staff' ? 'channelStaff' : 'channelOnline')}`}
                  {e.detail && ` · ${e.detail}`}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </article>
  );
}

type ProbableMatch = CustomerProfile['customer']['probableMatches'][number];
const matchName = (m: ProbableMatch) => m.name ?? m.emails[0] ?? m.phones[0] ?? m.id;

/**
 * The card lists a merged-in customer by id only (the API keeps no name on the winner's list);
 * names seen as probable matches in this tab are remembered, so a merge just made reads as a name.
 */
const knownNames = new Map<string, string>();

/** A merge's or undo's refusal (decision 66), said in words where the code is one we expect, else the API's message. */
function MergeError(props: { t: StaffContext['t']; error: ApiError | undefined }) {
  const { t, error } = props;
  if (!error) return null;
  const key = `mergeErr_${error.code}` as StaffMessageKey;
  const known = ['customer_merged', 'concurrent_modification', 'later_merge_exists', 'merge_not_found'].includes(error.code);
  if (!known) return <ErrorBox t={t} error={error} />;
  return (
    <p role="alert" class="error">
      {t(key)} <code>{error.code}</code>
    </p>
  );
}

/**
 * "Same person — merge" (admin and reception): the other customer goes into this one. It asks
 * first, naming both; a refusal (409 customer_merged, concurrent_modification) shows at the button.
 */
function MergeDialog(props: { context: StaffContext; card: CustomerProfile; other: ProbableMatch; onClose(): void; onMerged(message: string): void }) {
  const { t, client } = props.context;
  const { customer } = props.card;
  const name = customer.name ?? customer.emails[0] ?? customer.id;
  const other = matchName(props.other);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={t('mergeTitle', { other, name })} onClose={props.onClose}>
      <p>{t('mergeExplain', { other, name })}</p>
      <MergeError t={t} error={error} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={async () => {
            setError(undefined);
            setBusy(true);
            try {
              await client.mergeCustomers(customer.id, props.other.id);
              knownNames.set(props.other.id, other);
              props.onMerged(t('mergeDone', { other }));
            } catch (caught) {
              setError(asApiError(caught));
              setBusy(false);
            }
          }}
        >
          {t('mergeConfirm')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('cancelAction')}
        </button>
      </div>
    </Dialog>
  );
}

/** One customer merged into this card, with "Undo" for admins (the API allows only them, and only the latest merge). */
function MergeLine(props: { context: StaffContext; customerId: string; merge: { customerId: string; mergedAt: string }; onChanged(message: string): void }) {
  const { t, client, locale, timeZone, me } = props.context;
  const who = knownNames.get(props.merge.customerId) ?? props.merge.customerId;
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <li class="merge-line">
      <span>{t('mergedEntry', { who, when: formatDateTime(props.merge.mergedAt, locale, timeZone) })}</span>
      {me.role === 'admin' && (
        <span class="line-actions">
          <button
            type="button"
            aria-label={t('undoMergeNamed', { who })}
            disabled={busy}
            onClick={async () => {
              setError(undefined);
              setBusy(true);
              try {
                await client.undoMerge(props.customerId, props.merge.customerId);
                props.onChanged(t('undoDone', { who }));
              } catch (caught) {
                setError(asApiError(caught));
                setBusy(false);
              }
            }}
          >
            {t('undoMerge')}
          </button>
        </span>
      )}
      <MergeError t={t} error={error} />
    </li>
  );
}

/**
 * Right of access and right to erasure (admin): the export downloads the API's JSON as it is;
 * erasure is final, so it asks for the customer's name typed out and a reason for the audit.
 */
function DataRights(props: { context: StaffContext; card: CustomerProfile; onErased(result: Erasure): void }) {
  const { t, client } = props.context;
  const { customer } = props.card;
  const expected = customer.name ?? customer.emails[0] ?? customer.id;
  const [confirm, setConfirm] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from "Data requests" (…#data): start here, not at the top of the card.
  useEffect(() => {
    if (location.hash === '#data') heading.current?.focus();
  }, []);
  return (
    <section id="data" aria-labelledby="data-title" class="panel">
      <h2 id="data-title" tabIndex={-1} ref={heading}>
        {t('dataRights')}
      </h2>
      <p>{t('exportExplain')}</p>
      <div class="actions">
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setError(undefined);
            setBusy(true);
            try {
              const data = await client.exportCustomer(customer.id);
              downloadJson(`${customer.id}-export.json`, data);
              setStatus(t('exportDone'));
            } catch (caught) {
              setError(asApiError(caught));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('exportData')}
        </button>
      </div>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          setProblem(undefined);
          setError(undefined);
          if (confirm.trim() !== expected) return setProblem(t('eraseTypeMismatch', { name: expected }));
          if (reason.trim().length < 3) return setProblem(t('eraseReasonNeeded'));
          setBusy(true);
          try {
            props.onErased(await client.eraseCustomer(customer.id, reason.trim()));
          } catch (caught) {
            setError(asApiError(caught));
            setBusy(false);
          }
        }}
      >
        <h3>{t('eraseTitle')}</h3>
        <p>{t('eraseExplain')}</p>
        <Field label={t('eraseConfirmLabel', { name: expected })}>
          {(id) => <input id={id} autocomplete="off" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />}
        </Field>
        <Field label={t('eraseReason')} error={issueFor(error, 'body.reason')}>
          {(id, describedBy) => <textarea id={id} rows={2} maxLength={500} value={reason} aria-describedby={describedBy} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
        <FormProblems t={t} problem={problem} error={error} />
        <div class="actions">
          <button type="submit" class="danger" disabled={busy}>
            {t('eraseConfirm')}
          </button>
        </div>
      </form>
      <Status message={status} />
    </section>
  );
}
