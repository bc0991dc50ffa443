import { isLang, type Lang } from '../lib/i18n.ts';
import { isValidZone } from '../lib/time.ts';

/**
 * The booking flow lives in the URL: service → provider → date → time → details → review, one
 * query parameter per choice, so back, refresh and a shared link land on the same step. What the
 * customer types (name, e-mail, phone) is not put in the URL — it would end up in shared links,
 * history and server logs — but in sessionStorage, which survives a refresh of this tab only.
 */
export interface FlowState {
  service?: string | undefined;
  /** A provider id or `any`. */
  provider?: string | undefined;
  date?: string | undefined;
  start?: string | undefined;
  /** Past the time: `details` is implied, `review` must be asked for. */
  step?: 'review' | undefined;
  /** The month the date grid shows (YYYY-MM), when it is not the chosen date's. */
  month?: string | undefined;
  /** Book again from this booking (its manage token is in the fragment). */
  rebook?: string | undefined;
  tz?: string | undefined;
  lang?: Lang | undefined;
}

export type Step = 'service' | 'provider' | 'date' | 'time' | 'details' | 'review';
export const steps: readonly Step[] = ['service', 'provider', 'date', 'time', 'details', 'review'];

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const monthPattern = /^\d{4}-\d{2}$/;

export function readFlow(search: string): FlowState {
  const q = new URLSearchParams(search);
  const get = (name: string) => q.get(name) || undefined;
  const date = get('date');
  const month = get('month');
  const start = get('start');
  const tz = get('tz');
  const lang = get('lang');
  return {
    service: get('service'),
    provider: get('provider'),
    date: date && datePattern.test(date) ? date : undefined,
    start: start && !Number.isNaN(Date.parse(start)) ? start : undefined,
    step: get('step') === 'review' ? 'review' : undefined,
    month: month && monthPattern.test(month) ? month : undefined,
    rebook: get('rebook'),
    tz: tz && isValidZone(tz) ? tz : undefined,
    lang: isLang(lang) ? lang : undefined,
  };
}

const order: Array<keyof FlowState> = ['lang', 'tz', 'rebook', 'service', 'provider', 'month', 'date', 'start', 'step'];

export function writeFlow(state: FlowState): string {
  const q = new URLSearchParams();
  for (const key of order) {
    const value = state[key];
    if (value) q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The step a state is on: the first choice still missing, then details, then review if asked. */
export function stepOf(state: FlowState): Step {
  if (!state.service) return 'service';
  if (!state.provider) return 'provider';
  if (!state.date) return 'date';
  if (!state.start) return 'time';
  return state.step === 'review' ? 'review' : 'details';
}

/** Going back to a step drops every later choice, so the URL never holds a time from another day. */
export function backTo(state: FlowState, step: Step): FlowState {
  const keep = steps.indexOf(step);
  const next: FlowState = { ...state, step: undefined };
  if (keep <= steps.indexOf('service')) next.service = undefined;
  if (keep <= steps.indexOf('provider')) next.provider = undefined;
  if (keep <= steps.indexOf('date')) next.date = undefined;
  if (keep <= steps.indexOf('time')) next.start = undefined;
  return next;
}

export interface Details {
  name: string;
  email: string;
  phone: string;
  notes: string;
  marketingConsent: boolean;
}

export const emptyDetails: Details = { name: '', email: '', phone: '', notes: '', marketingConsent: false };

export type DetailsErrors = Partial<Record<'name' | 'email' | 'phone', 'required' | 'invalidEmail' | 'invalidPhone'>>;

/** The same rules as the API's customer schema (trimmed name 1–200, an e-mail, an optional phone). */
export function validateDetails(details: Details): DetailsErrors {
  const errors: DetailsErrors = {};
  if (!details.name.trim()) errors.name = 'required';
  const email = details.email.trim();
  if (!email) errors.email = 'required';
  else if (email.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) errors.email = 'invalidEmail';
  const phone = details.phone.trim();
  if (phone && !/^\+?[0-9 ()./-]{5,30}$/.test(phone)) errors.phone = 'invalidPhone';
  return errors;
}

/** The times nearest to the one that was lost, earliest first among equals: what the recovery offers. */
export function nearestSlots<T extends { start: string }>(slots: readonly T[], wanted: string, count: number): T[] {
  const target = Date.parse(wanted);
  return slots
    .filter((slot) => slot.start !== wanted)
    .map((slot) => ({ slot, distance: Math.abs(Date.parse(slot.start) - target) }))
    .sort((a, b) => a.distance - b.distance || Date.parse(a.slot.start) - Date.parse(b.slot.start))
    .slice(0, count)
    .map((entry) => entry.slot)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/**
 * The version of the consent text the checkbox shows; stored with a consent so it can be proven
 * later. The business's own text (tenant settings) when it has one in this language, else ours.
 */
export const consentTextVersion = (lang: Lang, tenant?: { consent?: { version: string; marketing: Partial<Record<Lang, string>> } | undefined }) =>
  tenant?.consent?.marketing[lang] ? `${tenant.consent.version}-${lang}` : `kairos-web-1-${lang}`;
