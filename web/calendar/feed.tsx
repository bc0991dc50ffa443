import { useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { asApiError, ErrorBox, ScreenHeading, Status } from '../lib/staff-ui.tsx';
import { calendarProvider, ProviderPicker } from './provider.tsx';

/**
 * The calendar feed to subscribe to in Google, Apple or Outlook. Only a hash of the token is
 * stored (decision 35), so the URL can be shown once, right after it is made: "copy" copies that
 * one, and making a new one turns the previous URL off. It stays in this screen's memory only.
 */
export function FeedScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, tenant } = context;
  const provider = calendarProvider(context);
  const [url, setUrl] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState<string>();
  const [confirming, setConfirming] = useState(false);

  const rotate = async () => {
    if (!provider) return;
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      const { feedPath } = await client.rotateFeed(provider.id);
      setUrl(new URL(feedPath, location.origin).href);
      setStatus(t('feedCreated'));
      setConfirming(false);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t('copied'));
    } catch {
      // Without clipboard permission: select the text, so Ctrl+C copies it.
      const input = document.getElementById('feed-url') as HTMLInputElement | null;
      input?.select();
      setStatus(t('copyManually'));
    }
  };
  return (
    <>
      <ScreenHeading title={t('feedTitle')} business={tenant.tenant.name} />
      <div class="toolbar">
        <ProviderPicker context={context} provider={provider} />
      </div>
      <p>{t('feedExplain')}</p>
      {url && (
        <div class="field">
          <label for="feed-url">{t('feedUrl')}</label>
          <p class="hint" id="feed-url-hint">
            {t('feedSecret')}
          </p>
          <div class="row">
            <input id="feed-url" readOnly value={url} aria-describedby="feed-url-hint" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={copy}>
              {t('copy')}
            </button>
          </div>
        </div>
      )}
      {!confirming ? (
        <div class="actions">
          <button type="button" class="primary" disabled={busy || !provider} onClick={() => setConfirming(true)}>
            {url ? t('feedRotate') : t('feedCreate')}
          </button>
        </div>
      ) : (
        <div class="panel" role="group" aria-labelledby="feed-confirm">
          <p id="feed-confirm">{t('feedRotateWarning')}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={rotate}>
              {t('feedRotateConfirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('cancelAction')}
            </button>
          </div>
        </div>
      )}
      <ErrorBox t={t} error={error} />
      <Status message={status} />
    </>
  );
}
