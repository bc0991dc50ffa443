import { type MailLocale, mailLocales } from './types.ts';

const isMailLocale = (language: string): language is MailLocale => (mailLocales as readonly string[]).includes(language);

/** The language of a BCP 47 tag ("es-MX" → "es"), if the mails are written in it. */
function supportedLanguage(tag: string | undefined): MailLocale | undefined {
  if (!tag?.trim()) return undefined;
  let language: string;
  try {
    // Intl.Locale lower-cases the language and accepts script and region subtags ("de-Latn-AT");
    // POSIX-style "es_MX" is accepted too, as profiles imported from other systems use it.
    language = new Intl.Locale(tag.trim().replace(/_/g, '-')).language;
  } catch {
    return undefined;
  }
  return isMailLocale(language) ? language : undefined;
}

/**
 * The language a customer's mails are written in: the customer's own language when the mails
 * exist in it, else the business's, else English. Only the language counts: "es-MX" and "es-ES"
 * both get the Spanish catalogue and the Spanish date formats.
 */
export function resolveMailLocale(customerLocale: string | undefined, tenantLocale: string): MailLocale {
  return supportedLanguage(customerLocale) ?? supportedLanguage(tenantLocale) ?? 'en';
}
