import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { Role } from '#shared/domain/staff';
import type { ApiError } from './api.ts';
import { authProvider, type ChallengeStep, type SignInStep, type StaffAuthProvider } from './auth.ts';
import { intlLocale, isLang, languageNames, languages, preferredLanguage, type Lang } from './lang.ts';
import { usePlace, type Place } from './router.ts';
import { clearSession, readSession, saveSession, type StaffSession } from './session.ts';
import { staffClient, type StaffClient, type StaffTenant } from './staff-api.ts';
import { staffTranslator, type StaffMessageKey, type StaffTranslate } from './staff-i18n.ts';
import { asApiError, ErrorBox, Field, Link, Loading, ScreenHeading } from './staff-ui.tsx';
import { viewerZone } from './time.ts';

/**
 * What the calendar and the desk share: the language, the sign-in, the signed-in member's tenant
 * and role, the header with the app's navigation and sign-out.
 */
export interface StaffContext {
  lang: Lang;
  locale: string;
  t: StaffTranslate;
  /** Times are shown and typed in the viewer's zone (named on every screen that shows times). */
  timeZone: string;
  session: StaffSession;
  client: StaffClient;
  tenant: StaffTenant;
  me: StaffTenant['me'];
  place: Place;
  /** Read the tenant again (after a service, provider or setting changed). */
  reloadTenant(): void;
}

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

const LANG_KEY = 'kairos:staff-lang';

function initialLang(): Lang {
  const stored = sessionStorage.getItem(LANG_KEY);
  return isLang(stored) ? stored : preferredLanguage(navigator.languages ?? [navigator.language]);
}

export function StaffApp(props: {
  app: 'calendar' | 'desk';
  /** Roles this app serves; others are told where to go. */
  roles: readonly Role[];
  nav(context: StaffContext): NavItem[];
  children(context: StaffContext): ComponentChildren;
}) {
  const place = usePlace();
  const [lang, setLangState] = useState<Lang>(initialLang);
  const t = useMemo(() => staffTranslator(lang), [lang]);
  const locale = intlLocale(lang);
  const [session, setSession] = useState<StaffSession | undefined>(() => readSession(sessionStorage, Date.now()));
  const [ended, setEnded] = useState(false);
  const [tenantState, setTenantState] = useState<{ tenant?: StaffTenant; error?: ApiError }>({});
  const [tenantSerial, setTenantSerial] = useState(0);

  const setLang = (next: Lang) => {
    sessionStorage.setItem(LANG_KEY, next);
    setLangState(next);
  };
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const signOut = (expired: boolean) => {
    clearSession(sessionStorage);
    setSession(undefined);
    setTenantState({});
    setEnded(expired);
  };

  const client = useMemo(() => (session ? staffClient({ token: session.idToken, tenantId: session.tenantId, onUnauthorized: () => signOut(true) }) : undefined), [session]);

  // Sign out when the token runs out, not at the next click.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signOut(true), Math.max(0, session.expiresAt - 30_000 - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    client.tenant().then(
      (tenant) => live && setTenantState({ tenant }),
      (error: unknown) => live && setTenantState({ error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [client, tenantSerial]);

  const header = (nav: NavItem[], who?: { label: string }) => (
    <header class="top staff-top">
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <p class="business">
        <span>{t(props.app === 'desk' ? 'deskApp' : 'calendarApp')}</span>
        {tenantState.tenant && <span class="muted"> · {tenantState.tenant.tenant.name}</span>}
      </p>
      {nav.length > 0 && (
        <nav aria-label={t('mainNav')} class="staff-nav">
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <Link href={item.href} current={item.current}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div class="top-tools">
        <nav class="languages" aria-label={t('language')}>
          <ul>
            {languages.map((l) => (
              <li key={l}>
                <button type="button" class="link" lang={l} aria-pressed={l === lang ? 'true' : 'false'} onClick={() => setLang(l)}>
                  {languageNames[l]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {who && (
          <p class="who">
            <span>{who.label}</span>{' '}
            <button type="button" class="link" onClick={() => signOut(false)}>
              {t('signOut')}
            </button>
          </p>
        )}
      </div>
    </header>
  );

  if (!session || !client) {
    return (
      <>
        {header([])}
        <main id="main">
          <SignIn
            t={t}
            ended={ended}
            onSignedIn={(result) => {
              const next = saveSession(sessionStorage, result.idToken, result.expiresIn, Date.now());
              setEnded(false);
              setSession(next);
            }}
          />
        </main>
      </>
    );
  }

  const who = { label: `${session.email ?? session.userId} (${t(`role_${session.role}` as StaffMessageKey)})` };
  if (tenantState.error) {
    return (
      <>
        {header([], who)}
        <main id="main">
          <ScreenHeading title={t('signIn')} />
          <ErrorBox t={t} error={tenantState.error} onRetry={() => setTenantSerial((n) => n + 1)} />
        </main>
      </>
    );
  }
  if (!tenantState.tenant) {
    return (
      <>
        {header([], who)}
        <main id="main">
          <Loading t={t} />
        </main>
      </>
    );
  }
  const tenant = tenantState.tenant;
  const me = tenant.me;
  const context: StaffContext = {
    lang,
    locale,
    t,
    timeZone: viewerZone(),
    session,
    client,
    tenant,
    me,
    place,
    reloadTenant: () => setTenantSerial((n) => n + 1),
  };
  const meLabel = { label: `${me.email ?? session.email ?? me.userId} (${t(`role_${me.role}` as StaffMessageKey)})` };
  if (!props.roles.includes(me.role)) {
    const other = props.app === 'desk' ? '/calendar/' : '/desk/';
    return (
      <>
        {header([], meLabel)}
        <main id="main">
          <ScreenHeading title={t('wrongApp')} business={tenant.tenant.name} />
          <p>{t(props.app === 'desk' ? 'deskIsForReception' : 'calendarIsForProviders')}</p>
          <p>
            <a href={other}>{t(props.app === 'desk' ? 'openCalendar' : 'openDesk')}</a>
          </p>
        </main>
      </>
    );
  }
  return (
    <>
      {header(props.nav(context), meLabel)}
      <main id="main">{props.children(context)}</main>
    </>
  );
}

/** E-mail and password, then whatever challenge the sign-in provider asks (decision 81). */
function SignIn(props: { t: StaffTranslate; ended: boolean; onSignedIn(result: { idToken: string; expiresIn: number }): void }) {
  const { t } = props;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState('');
  const [challenge, setChallenge] = useState<ChallengeStep>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  // The deployment's provider (kairos-config.json, read once): the local issuer or Cognito.
  const [provider, setProvider] = useState<StaffAuthProvider>();
  useEffect(() => {
    void authProvider().then(setProvider);
  }, []);

  const proceed = (step: SignInStep) => {
    if (step.kind === 'signedIn') props.onSignedIn(step);
    else {
      setAnswer('');
      setChallenge(step);
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const auth = await authProvider();
      proceed(challenge ? await auth.answer(challenge, answer) : await auth.signIn(email.trim(), password));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const wrong = error?.status === 401;
  return (
    <section class="sign-in">
      <ScreenHeading title={t('signIn')} />
      {props.ended && (
        <p role="status" class="notice">
          {t('sessionEnded')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {!challenge ? (
          <>
            <Field label={t('email')}>
              {(id, describedBy) => (
                <input id={id} type="email" autocomplete="username" required value={email} aria-describedby={describedBy} onInput={(e) => setEmail(e.currentTarget.value)} />
              )}
            </Field>
            <Field label={t('password')}>
              {(id) => <input id={id} type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
            </Field>
          </>
        ) : challenge.kind === 'newPassword' ? (
          <Field label={t('newPassword')} hint={t('newPasswordHint')}>
            {(id, describedBy) => <input id={id} type="password" autocomplete="new-password" required value={answer} aria-describedby={describedBy} onInput={(e) => setAnswer(e.currentTarget.value)} />}
          </Field>
        ) : (
          <>
            {challenge.kind === 'totpSetup' && (
              <p>
                {t('totpSetup')} <code class="secret">{challenge.secret}</code>{' '}
                <a href={challenge.uri} class="secret">
                  {challenge.uri}
                </a>
              </p>
            )}
            <Field label={t('totpCode')} hint={t('totpHint')}>
              {(id, describedBy) => (
                <input
                  id={id}
                  inputMode="numeric"
                  autocomplete="one-time-code"
                  pattern="[0-9]{6}"
                  maxLength={6}
                  required
                  value={answer}
                  aria-describedby={describedBy}
                  onInput={(e) => setAnswer(e.currentTarget.value)}
                />
              )}
            </Field>
          </>
        )}
        {error && (wrong ? <p role="alert" class="error">{t('wrongCredentials')}</p> : <ErrorBox t={t} error={error} />)}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('signingIn') : challenge ? t('continue') : t('signIn')}
          </button>
        </div>
      </form>
      {provider?.name === 'local' && <p class="hint">{t('localSignInHint')}</p>}
    </section>
  );
}
