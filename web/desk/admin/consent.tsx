import { useState } from 'preact/hooks';
import type { ApiError } from '../../lib/api.ts';
import { languageNames, languages, type Lang } from '../../lib/lang.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import { asApiError, ErrorBox, Field, issueFor, ScreenHeading, Status } from '../../lib/staff-ui.tsx';

/**
 * The marketing opt-in the booking page shows, per language, with the version recorded next to
 * every consent given (`<version>-<lang>`), and the privacy notice's address (tenant settings,
 * customers.consent). A new wording needs a new version: consents given under the old one keep
 * pointing at what those customers actually saw. Languages left empty show the built-in text.
 */
export function ConsentScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, tenant } = context;
  const current = tenant.tenant.customers?.consent;
  const [version, setVersion] = useState(current?.version ?? '');
  const [texts, setTexts] = useState<Record<Lang, string>>({ de: current?.marketing.de ?? '', en: current?.marketing.en ?? '', es: current?.marketing.es ?? '' });
  const [privacyUrl, setPrivacyUrl] = useState(current?.privacyUrl ?? '');
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const changedWording = current !== undefined && languages.some((l) => (current.marketing[l] ?? '') !== texts[l].trim()) && version.trim() === current.version;
  return (
    <>
      <ScreenHeading title={t('admin_consent')} business={tenant.tenant.name} />
      <p>{current ? t('consentCurrent', { version: current.version }) : t('consentBuiltIn')}</p>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          setStatus(undefined);
          const marketing = Object.fromEntries(languages.filter((l) => texts[l].trim()).map((l) => [l, texts[l].trim()]));
          try {
            await client.updateSettings({ customers: { consent: { version: version.trim(), marketing, ...(privacyUrl.trim() ? { privacyUrl: privacyUrl.trim() } : {}) } } });
            setStatus(t('consentSaved'));
            context.reloadTenant();
          } catch (caught) {
            setError(asApiError(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label={t('consentVersion')} hint={t('consentVersionHint')} error={issueFor(error, 'body.customers.consent.version')}>
          {(id, describedBy) => <input id={id} value={version} maxLength={30} aria-describedby={describedBy} onInput={(e) => setVersion(e.currentTarget.value)} />}
        </Field>
        {changedWording && (
          <p class="notice" role="status">
            {t('consentNewVersion')}
          </p>
        )}
        {languages.map((lang) => (
          <Field key={lang} label={t('consentText', { language: languageNames[lang] })} error={issueFor(error, `body.customers.consent.marketing.${lang}`)}>
            {(id, describedBy) => (
              <textarea id={id} lang={lang} rows={3} maxLength={600} value={texts[lang]} aria-describedby={describedBy} onInput={(e) => setTexts({ ...texts, [lang]: e.currentTarget.value })} />
            )}
          </Field>
        ))}
        {issueFor(error, 'body.customers.consent.marketing') && !languages.some((l) => issueFor(error, `body.customers.consent.marketing.${l}`)) && (
          <p class="field-error">{issueFor(error, 'body.customers.consent.marketing')}</p>
        )}
        <Field label={t('privacyUrl')} hint={t('privacyUrlHint')} error={issueFor(error, 'body.customers.consent.privacyUrl')}>
          {(id, describedBy) => <input id={id} type="url" value={privacyUrl} aria-describedby={describedBy} onInput={(e) => setPrivacyUrl(e.currentTarget.value)} />}
        </Field>
        <ErrorBox t={t} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </div>
        <Status message={status} />
      </form>
    </>
  );
}
