/**
 * The languages of every web app and how one is chosen, apart from the catalogues: the staff apps
 * use these without downloading the booking page's texts (and the booking page none of theirs).
 */

export const languages = ['de', 'en', 'es'] as const;
export type Lang = (typeof languages)[number];

export const languageNames: Record<Lang, string> = { de: 'Deutsch', en: 'English', es: 'Español' };

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && (languages as readonly string[]).includes(value);

/** The first of the browser's preferred languages we speak, else the business's, else English. */
export function preferredLanguage(browser: readonly string[], fallback?: string): Lang {
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  const tenantBase = fallback?.toLowerCase().split('-')[0];
  return isLang(tenantBase) ? tenantBase : 'en';
}

/** BCP 47 locale for Intl formatting; de-DE and es-ES read dates the way customers here expect. */
export const intlLocale = (lang: Lang): string => ({ de: 'de-DE', en: 'en-GB', es: 'es-ES' })[lang];
