import type { JourneyRule } from '../../lib/staff-api.ts';
import type { StaffMessageKey, StaffTranslate } from '../../lib/staff-i18n.ts';

/**
 * A journey rule as one line a person reads ("After a visit · wait 3 hours · mail: review-request
 * · needs consent: reviews"); the JSON below the list stays the full truth.
 */

/** "P4W" → "4 weeks", "P1DT2H" → "1 day 2 hours" in the locale; anything unexpected as written. */
export function humanDuration(iso: string, locale: string): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return iso;
  const units = ['week', 'day', 'hour', 'minute'] as const;
  const parts = units.flatMap((unit, i) => (match[i + 1] ? [new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(Number(match[i + 1]))] : []));
  return parts.join(' ');
}

export function ruleSummary(rule: JourneyRule, t: StaffTranslate, locale: string): string {
  const wait = rule.wait;
  const when =
    'after' in wait
      ? t('waitAfter', { duration: humanDuration(wait.after, locale) })
      : 'nextLocal' in wait
        ? t('waitNextLocal', { time: wait.nextLocal })
        : t('waitBeforeStart', { days: wait.daysBeforeStart, time: wait.at });
  const action = rule.action.kind === 'mail' ? t('actionMail', { template: rule.action.template }) : t('actionTask', { title: rule.action.title });
  const parts = [t(`trigger_${rule.trigger.event}` as StaffMessageKey), when, action];
  const conditions = rule.conditions;
  if (conditions?.consent) parts.push(t('needsConsent', { purpose: conditions.consent }));
  const badges = [...(rule.trigger.filters?.badges?.all ?? []), ...(conditions?.badges?.all ?? [])];
  if (badges.length) parts.push(t('needsBadges', { badges: badges.join(', ') }));
  if (rule.recheck) parts.push(t('recheckEvery', { every: humanDuration(rule.recheck.every, locale), within: humanDuration(rule.recheck.within, locale) }));
  return parts.join(' · ');
}
