import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type MailPreferences } from '../lib/api.ts';
import { isLang } from '../lib/i18n.ts';
import { fragment, navigate, type Place } from '../lib/router.ts';
import { ErrorNote, pageContext, Shell } from './shell.tsx';

/**
 * The link in the footer of marketing and review mails (`/preferences/#token=…`, decision 57):
 * offers and review requests, each on or off. From the unsubscribe link (`?unsubscribe=1`) it
 * asks first and withdraws both only on "yes" — a link scanner's GET must not unsubscribe anyone.
 * The token is in the fragment and goes only into the API path.
 */
export function PreferencesPage({ place }: { place: Place }) {
  const q = new URLSearchParams(place.search);
  const urlLang = q.get('lang');
  const context = pageContext(isLang(urlLang) ? urlLang : undefined, undefined);
  const { t } = context;
  const token = fragment(place.hash).get('token') ?? '';
  const asked = q.get('unsubscribe') === '1';
  const [prefs, setPrefs] = useState<MailPreferences>();
  const [choice, setChoice] = useState({ marketing: false, reviews: false });
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'unsubscribed'>('idle');

  useEffect(() => {
    if (!token) return setError(new ApiError(404, 'preferences_not_found', 'no token'));
    api.preferences(token).then(
      (found) => {
        setPrefs(found);
        setChoice(found.email);
      },
      (failure: unknown) => setError(failure instanceof ApiError ? failure : new ApiError(0, 'network', String(failure))),
    );
  }, [token]);

  const save = async (body: { marketing: boolean; reviews: boolean }, done: 'saved' | 'unsubscribed') => {
    setStatus('saving');
    try {
      const saved = await api.updatePreferences(token, body);
      setPrefs(saved);
      setChoice(saved.email);
      setStatus(done);
      if (done === 'unsubscribed') navigate(`${place.path}${urlLang ? `?lang=${urlLang}` : ''}${place.hash}`, { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'network', String(failure)));
      setStatus('idle');
    }
  };

  const business = prefs?.business.name ?? '';
  const who = [prefs?.customer.firstName, prefs?.customer.email].filter(Boolean).join(' · ');
  return (
    <Shell context={context} title={t('preferencesTitle')} business={prefs?.business.name} onLanguage={(lang) => navigate(`${place.path}?${new URLSearchParams({ ...Object.fromEntries(q), lang })}${place.hash}`, { replace: true })}>
      <h1>{t('preferencesTitle')}</h1>
      {error ? (
        error.status === 404 ? (
          <p role="alert" class="error">
            {t('preferencesInvalid')}
          </p>
        ) : (
          <ErrorNote t={t} error={error} onRetry={() => location.reload()} />
        )
      ) : !prefs ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <>
          {who && <p>{t('preferencesHello', { who })}</p>}
          {status === 'unsubscribed' && (
            <p class="success" role="status">
              {t('unsubscribed', { business })}
            </p>
          )}
          {asked && status !== 'unsubscribed' && (
            <section class="recovery" aria-labelledby="unsubscribe-question">
              <h2 id="unsubscribe-question">{t('unsubscribeQuestion', { business })}</h2>
              <div class="actions">
                <button type="button" class="danger" disabled={status === 'saving'} onClick={() => void save({ marketing: false, reviews: false }, 'unsubscribed')}>
                  {t('unsubscribeYes')}
                </button>
              </div>
            </section>
          )}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void save(choice, 'saved');
            }}
          >
            <div class="check">
              <input id="pref-marketing" type="checkbox" checked={choice.marketing} onChange={(event) => setChoice({ ...choice, marketing: event.currentTarget.checked })} />
              <label for="pref-marketing">{t('preferencesMarketing', { business })}</label>
            </div>
            <div class="check">
              <input id="pref-reviews" type="checkbox" checked={choice.reviews} onChange={(event) => setChoice({ ...choice, reviews: event.currentTarget.checked })} />
              <label for="pref-reviews">{t('preferencesReviews')}</label>
            </div>
            <div class="actions">
              <button type="submit" class="primary" disabled={status === 'saving'}>
                {t('preferencesSave')}
              </button>
            </div>
            {status === 'saved' && (
              <p class="success" role="status">
                {t('preferencesSaved')}
              </p>
            )}
          </form>
        </>
      )}
    </Shell>
  );
}
