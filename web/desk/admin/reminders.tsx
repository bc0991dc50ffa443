import { useState } from 'preact/hooks';
import type { ApiError } from '../../lib/api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import type { StaffMessageKey } from '../../lib/staff-i18n.ts';
import { asApiError, ErrorBox, Field, issuesOf, ScreenHeading, Status } from '../../lib/staff-ui.tsx';
import { DEFAULT_REMINDERS, formatLead, parseLead, type Lead, type LeadUnit } from './leads.ts';

/**
 * The reminder policy: up to three reminders before an appointment, and quiet hours in which none
 * goes out. Days keep the appointment's wall time across DST, hours are exact (decision 43).
 */

const units: Array<[LeadUnit, StaffMessageKey]> = [
  ['W', 'unitWeeks'],
  ['D', 'unitDays'],
  ['H', 'unitHours'],
  ['M', 'unitMinutes'],
];

export function RemindersScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, tenant } = context;
  const current = tenant.tenant.reminders ?? DEFAULT_REMINDERS;
  const [leads, setLeads] = useState<Lead[]>(() => current.before.map((text) => parseLead(text) ?? { amount: '1', unit: 'D' }));
  const [quiet, setQuiet] = useState({ on: current.quietHours !== undefined, start: current.quietHours?.start ?? '21:00', end: current.quietHours?.end ?? '08:00' });
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const issues = issuesOf(error);

  return (
    <>
      <ScreenHeading title={t('admin_reminders')} business={tenant.tenant.name} />
      {!tenant.tenant.reminders && <p class="notice">{t('remindersDefault')}</p>}
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          setStatus(undefined);
          try {
            await client.updateSettings({
              reminders: { before: leads.map(formatLead), ...(quiet.on ? { quietHours: { start: quiet.start, end: quiet.end } } : {}) },
            });
            setStatus(t('remindersSaved'));
            context.reloadTenant();
          } catch (caught) {
            setError(asApiError(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset>
          <legend>{t('remindersBefore')}</legend>
          {leads.length === 0 && <p class="muted">{t('noReminders')}</p>}
          {leads.map((lead, i) => {
            const issue = issues.find((x) => x.field === `body.reminders.before.${i}`);
            return (
              <div class="row range" key={i}>
                <Field label={t('reminderN', { n: i + 1 })} error={issue?.message}>
                  {(id, describedBy) => (
                    <input
                      id={id}
                      type="number"
                      min={1}
                      value={lead.amount}
                      aria-describedby={describedBy}
                      onInput={(e) => setLeads(leads.map((l, j) => (j === i ? { ...l, amount: e.currentTarget.value } : l)))}
                    />
                  )}
                </Field>
                <Field label={t('unit')}>
                  {(id) => (
                    <select id={id} value={lead.unit} onChange={(e) => setLeads(leads.map((l, j) => (j === i ? { ...l, unit: e.currentTarget.value as LeadUnit } : l)))}>
                      {units.map(([unit, key]) => (
                        <option key={unit} value={unit}>
                          {t(key)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <button type="button" class="link" onClick={() => setLeads(leads.filter((_, j) => j !== i))}>
                  {t('removeReminder', { n: i + 1 })}
                </button>
              </div>
            );
          })}
          {leads.length < 3 && (
            <button type="button" class="link" onClick={() => setLeads([...leads, { amount: '1', unit: 'D' }])}>
              {t('addReminder')}
            </button>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('quietHours')}</legend>
          <div class="check">
            <input id="quiet-on" type="checkbox" checked={quiet.on} onChange={(e) => setQuiet({ ...quiet, on: e.currentTarget.checked })} />
            <label for="quiet-on">{t('quietHoursOn')}</label>
          </div>
          {quiet.on && (
            <div class="row">
              <Field label={t('fromTime')} error={issues.find((x) => x.field === 'body.reminders.quietHours.start')?.message}>
                {(id, describedBy) => <input id={id} type="time" value={quiet.start} aria-describedby={describedBy} onInput={(e) => setQuiet({ ...quiet, start: e.currentTarget.value })} />}
              </Field>
              <Field label={t('toTime')} error={issues.find((x) => x.field === 'body.reminders.quietHours.end')?.message}>
                {(id, describedBy) => <input id={id} type="time" value={quiet.end} aria-describedby={describedBy} onInput={(e) => setQuiet({ ...quiet, end: e.currentTarget.value })} />}
              </Field>
            </div>
          )}
          <p class="hint">{t('quietHoursHint')}</p>
        </fieldset>
        <ErrorBox t={t} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </div>
        <Status message={status} />
      </form>
    </>
  );
}
