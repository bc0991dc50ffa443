import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Tenant } from '../lib/api.ts';
import { intlLocale, languageNames, languages, preferredLanguage, translator, type Lang, type Translate } from '../lib/i18n.ts';
import { viewerZone } from '../lib/time.ts';

/** What every page of the booking app shares: the business, the language, the zone. */
export interface Context {
  lang: Lang;
  locale: string;
  t: Translate;
  timeZone: string;
}

export function pageContext(urlLang: Lang | undefined, urlZone: string | undefined, tenant?: Tenant): Context {
  const lang = urlLang ?? preferredLanguage(navigator.languages ?? [navigator.language], tenant?.locale);
  return { lang, locale: intlLocale(lang), t: translator(lang), timeZone: urlZone ?? viewerZone() };
}

const tenants = new Map<string, Promise<Tenant>>();

export function useTenant(tenantId: string | undefined): { tenant?: Tenant; error?: ApiError } {
  const [state, setState] = useState<{ tenant?: Tenant; error?: ApiError }>({});
  useEffect(() => {
    if (!tenantId) return;
    let pending = tenants.get(tenantId);
    if (!pending) {
      pending = api.tenant(tenantId);
      pending.catch(() => tenants.delete(tenantId));
      tenants.set(tenantId, pending);
    }
    let live = true;
    pending.then(
      (tenant) => live && setState({ tenant }),
      (error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError(0, 'network', String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [tenantId]);
  return state;
}

export function LanguageSwitch(props: { lang: Lang; t: Translate; onChange(lang: Lang): void }) {
  return (
    <nav class="languages" aria-label={props.t('language')}>
      <ul>
        {languages.map((lang) => (
          <li key={lang}>
            <button type="button" class="link" lang={lang} aria-pressed={lang === props.lang ? 'true' : 'false'} onClick={() => props.onChange(lang)}>
              {languageNames[lang]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Shell(props: { context: Context; title: string; business?: string | undefined; onLanguage(lang: Lang): void; children: ComponentChildren }) {
  const { lang, t } = props.context;
  // Before paint: a screen reader must never read German text with an English voice.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = props.business ? `${props.title} · ${props.business}` : props.title;
  }, [lang, props.title, props.business]);
  return (
    <>
      <header class="top">
        <p class="business">{props.business ?? '\u00a0'}</p>
        <LanguageSwitch lang={lang} t={t} onChange={props.onLanguage} />
      </header>
      <main id="main">{props.children}</main>
    </>
  );
}

/** A heading that takes the focus when the step changes (not on the first load), so screen readers and keyboard users start at the new step. */
export function StepHeading(props: { children: ComponentChildren; focusKey: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [props.focusKey]);
  return (
    <h2 tabIndex={-1} ref={ref}>
      {props.children}
    </h2>
  );
}

export function ErrorNote(props: { t: Translate; error: ApiError; onRetry?: () => void }) {
  return (
    <div role="alert" class="error">
      <p>{props.error.status === 0 ? props.t('networkError') : props.t('genericError', { message: props.error.message })}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {props.t('retry')}
        </button>
      )}
    </div>
  );
}

/** Random hex from the platform's CSPRNG (crypto.randomUUID needs a secure context; this does not). */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function formatPrice(amount: number, currency: string, locale: string, t: Translate) {
  return amount === 0 ? t('free') : new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}
