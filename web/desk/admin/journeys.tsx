import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../lib/api.ts';
import type { JourneyRule, JourneySettings } from '../../lib/staff-api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import type { StaffTranslate } from '../../lib/staff-i18n.ts';
import { asApiError, ErrorBox, Field, issueFor, Loading, ScreenHeading, Status, useId, useLoad } from '../../lib/staff-ui.tsx';
import { ruleSummary } from './rule-summary.ts';

/**
 * Journey rules: each as a sentence with a switch, the review page, and the whole configuration
 * as JSON for what the sentences do not cover. Saving sends the revision that was loaded, so a
 * save over someone else's newer one is refused (409) instead of overwriting it; a 400 lists
 * every field the server rejected.
 */

export function JourneysScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, tenant } = context;
  const loaded = useLoad(() => client.journeys(), 'journeys');
  const [settings, setSettings] = useState<JourneySettings>();
  const [status, setStatus] = useState<string>();
  useEffect(() => {
    if (loaded.data) setSettings(loaded.data);
  }, [loaded.data]);

  return (
    <>
      <ScreenHeading title={t('admin_journeys')} business={tenant.tenant.name} />
      <Status message={status} />
      {loaded.error ? (
        <ErrorBox t={t} error={loaded.error} onRetry={loaded.reload} />
      ) : !settings ? (
        <Loading t={t} />
      ) : (
        <>
          {!settings.customised && <p class="notice">{t('journeysDefault')}</p>}
          <RuleList
            key={`list-${settings.revision}`}
            context={context}
            settings={settings}
            onSaved={(next) => {
              setSettings(next);
              setStatus(t('journeysSaved'));
            }}
            onReload={loaded.reload}
          />
          <RawEditor
            key={`raw-${settings.revision}`}
            context={context}
            settings={settings}
            onSaved={(next) => {
              setSettings(next);
              setStatus(t('journeysSaved'));
            }}
            onReload={loaded.reload}
          />
        </>
      )}
    </>
  );
}

function useSave(context: StaffContext, onSaved: (next: JourneySettings) => void) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const save = async (body: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await context.client.putJourneys(body));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, save };
}

function Conflict(props: { t: StaffTranslate; error: ApiError | undefined; onReload(): void }) {
  if (props.error?.code !== 'concurrent_modification') return null;
  return (
    <p>
      {props.t('journeysConflict')}{' '}
      <button type="button" onClick={props.onReload}>
        {props.t('reload')}
      </button>
    </p>
  );
}

function RuleList(props: { context: StaffContext; settings: JourneySettings; onSaved(next: JourneySettings): void; onReload(): void }) {
  const { context, settings } = props;
  const { t } = context;
  const [rules, setRules] = useState(settings.rules);
  const [reviewUrl, setReviewUrl] = useState(settings.reviewUrl ?? '');
  const { error, busy, save } = useSave(context, props.onSaved);
  return (
    <form
      noValidate
      aria-labelledby="rules-title"
      onSubmit={(event) => {
        event.preventDefault();
        void save({ rules, ...(reviewUrl.trim() ? { reviewUrl: reviewUrl.trim() } : {}), revision: settings.revision });
      }}
    >
      <h2 id="rules-title">{t('journeyRules')}</h2>
      <ul class="plain-list rules">
        {rules.map((rule, i) => (
          <RuleRow key={rule.id} t={t} locale={context.locale} rule={rule} onToggle={(enabled) => setRules(rules.map((r, j) => (j === i ? { ...r, enabled } : r)))} />
        ))}
      </ul>
      <Field label={t('reviewUrl')} hint={t('reviewUrlHint')} error={issueFor(error, 'body.reviewUrl')}>
        {(id, describedBy) => <input id={id} type="url" value={reviewUrl} aria-describedby={describedBy} onInput={(e) => setReviewUrl(e.currentTarget.value)} />}
      </Field>
      <ErrorBox t={t} error={error} />
      <Conflict t={t} error={error} onReload={props.onReload} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}

function RuleRow(props: { t: StaffTranslate; locale: string; rule: JourneyRule; onToggle(enabled: boolean): void }) {
  const { t, rule } = props;
  const id = useId('rule');
  return (
    <li class="rule">
      <div class="check">
        <input id={id} type="checkbox" role="switch" checked={rule.enabled} aria-describedby={`${id}-summary`} onChange={(e) => props.onToggle(e.currentTarget.checked)} />
        <label for={id}>
          <strong>{rule.name}</strong> ({rule.enabled ? t('enabled') : t('disabled')})
        </label>
      </div>
      <p class="hint" id={`${id}-summary`}>
        {ruleSummary(rule, t, props.locale)}
      </p>
    </li>
  );
}

function RawEditor(props: { context: StaffContext; settings: JourneySettings; onSaved(next: JourneySettings): void; onReload(): void }) {
  const { context, settings } = props;
  const { t } = context;
  const [text, setText] = useState(() => JSON.stringify({ rules: settings.rules, ...(settings.reviewUrl ? { reviewUrl: settings.reviewUrl } : {}) }, null, 2));
  const [parseError, setParseError] = useState<string>();
  const { error, busy, save } = useSave(context, props.onSaved);
  return (
    <form
      noValidate
      class="panel"
      aria-labelledby="raw-title"
      onSubmit={(event) => {
        event.preventDefault();
        setParseError(undefined);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (caught) {
          setParseError(t('jsonInvalid', { message: (caught as Error).message }));
          return;
        }
        void save(body && typeof body === 'object' && !Array.isArray(body) ? { ...body, revision: settings.revision } : body);
      }}
    >
      <h2 id="raw-title">{t('journeysJson')}</h2>
      <Field label={t('journeysJsonLabel')} hint={t('journeysJsonHint')}>
        {(id, describedBy) => <textarea id={id} class="code" rows={16} spellcheck={false} value={text} aria-describedby={describedBy} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      {parseError && (
        <p role="alert" class="error">
          {parseError}
        </p>
      )}
      <ErrorBox t={t} error={error} />
      <Conflict t={t} error={error} onReload={props.onReload} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('saveJson')}
        </button>
      </div>
    </form>
  );
}
