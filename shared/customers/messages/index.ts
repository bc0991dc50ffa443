import { IntlMessageFormat } from 'intl-messageformat';
import type { CustomerCatalogue } from './catalogue.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';

export type CustomerLocale = 'de' | 'en' | 'es';
export const customerLocales: readonly CustomerLocale[] = ['de', 'en', 'es'];

/** One catalogue per locale; the Record type makes a missing language a compile error. */
export const customerCatalogues: Readonly<Record<CustomerLocale, CustomerCatalogue>> = { de, en, es };

export type { CustomerCatalogue, LabelAndReason } from './catalogue.ts';

export type CustomerMessageValues = Readonly<Record<string, string | number>>;

const compiled = new Map<string, IntlMessageFormat>();

/**
 * One catalogue message, formatted in `locale`. Compiled messages are kept (parsing is the costly
 * part, the catalogues are fixed). A missing argument throws, so no `{placeholder}` reaches a
 * screen; ICU's narrow and thin spaces (U+202F, U+2009), which depend on Node's ICU version,
 * become plain spaces so the text is the same everywhere.
 */
export function formatCustomerMessage(locale: CustomerLocale, message: string, values: CustomerMessageValues): string {
  if (!customerLocales.includes(locale)) throw new RangeError(`no customer catalogue for locale "${locale}"`);
  const key = `${locale}\u0000${message}`;
  let format = compiled.get(key);
  if (!format) {
    format = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
    compiled.set(key, format);
  }
  const text = format.format(values);
  if (typeof text !== 'string') throw new Error(`message did not format to text: ${message}`);
  return text.replace(/[\u202F\u2009]/g, ' ').replace(/\s*\n\s*/g, ' ');
}

/** Money in the locale's way: "512,50 €", "€512.50". */
export function formatMoney(locale: CustomerLocale, amount: number, currency: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount).replace(/[\u202F\u2009]/g, ' ');
}
