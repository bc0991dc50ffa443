import type { JourneyRule } from '../../lib/staff-api.ts';
import type { StaffMessageKey, StaffTranslate } from '../../lib/staff-i18n.ts';

/** "After a cancellation · wait until 09:00 the next day · mail: rebook invitation" */
export function ruleSummary(rule: JourneyRule, t: StaffTranslate): string {
  const wait = rule.wait;
  const when =
    'after' in wait
      ? t('waitAfter', { duration: wait.after })
      : 'nextLocal' in wait
        ? t('waitNextLocal', { time: wait.nextLocal })
        : t('waitBeforeStart', { days: wait.daysBeforeStart, time: wait.at });
  const action = rule.action.kind === 'mail' ? t('actionMail', { template: rule.action.template }) : t('actionTask', { title: rule.action.title });
  const parts = [t(`trigger_${rule.trigger.event}` as StaffMessageKey), when, action];
  const conditions = rule.conditions;
  if (conditions?.consent) parts.push(t('needsConsent', { purpose: conditions.consent }));
  const badges = [...(rule.trigger.filters?.badges?.all ?? []), ...(conditions?.badges?.all ?? [])];
  if (badges.length) parts.push(t('needsBadges', { badges: badges.join(', ') }));
  return parts.join(' · ');
}
