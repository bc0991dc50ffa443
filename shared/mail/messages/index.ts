import type { MailLocale } from '../types.ts';
import type { MailCatalogue } from './catalogue.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';

/** One catalogue per mail locale; the Record type makes a missing language a compile error. */
export const catalogues: Readonly<Record<MailLocale, MailCatalogue>> = { de, en, es };

export type { DetailLabel, InvitationKind, MailCatalogue } from './catalogue.ts';
