/** Reminder leads as the form edits them (an amount and a unit) and as the API takes them (ISO-8601 durations). */

/** What applies while a tenant has set nothing: shared/domain/reminders.ts's DEFAULT_REMINDER_POLICY (a test keeps the two equal). */
export const DEFAULT_REMINDERS = { before: ['P1D', 'PT2H'], quietHours: { start: '21:00', end: '08:00' } };

export type LeadUnit = 'W' | 'D' | 'H' | 'M';
export interface Lead {
  amount: string;
  unit: LeadUnit;
}

/** "P1D" → 1 day, "PT1H30M" → 90 minutes; undefined for anything else. */
export function parseLead(text: string): Lead | undefined {
  const match = /^P(?:(\d+)W|(\d+)D|T(?:(\d+)H)?(?:(\d+)M)?)$/.exec(text);
  if (!match || text === 'PT') return undefined;
  const [, w, d, h, m] = match;
  if (w) return { amount: w, unit: 'W' };
  if (d) return { amount: d, unit: 'D' };
  if (h && m) return { amount: String(Number(h) * 60 + Number(m)), unit: 'M' };
  if (h) return { amount: h, unit: 'H' };
  return m ? { amount: m, unit: 'M' } : undefined;
}

export const formatLead = (lead: Lead) => (lead.unit === 'W' || lead.unit === 'D' ? `P${Number(lead.amount)}${lead.unit}` : `PT${Number(lead.amount)}${lead.unit}`);
