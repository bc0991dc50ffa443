import { useState } from 'preact/hooks';
import type { ApiError } from '../../lib/api.ts';
import type { ScheduleChange, StaffProvider } from '../../lib/staff-api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import { asApiError, ErrorBox, Field, issueFor, ScreenHeading, Status, AdminTable } from '../../lib/staff-ui.tsx';
import { allZones, formatDateTime } from '../../lib/time.ts';

/**
 * Providers: name, e-mail, zone and whether they get a copy of booking mails. Their hours,
 * exceptions and blocks are edited in the calendar app (linked), where providers edit their own.
 * Deactivating lists their future bookings; it cancels none (decision 32).
 */
export function ProvidersScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, tenant } = context;
  const [editing, setEditing] = useState<string | 'new'>();
  const [status, setStatus] = useState<string>();
  const [change, setChange] = useState<ScheduleChange>();
  return (
    <>
      <ScreenHeading title={t('admin_providers')} business={tenant.tenant.name} />
      <Status message={status} />
      {change && change.strandedBookings.length > 0 && (
        <div class="notice" role="status">
          <p>{t('strandedIntro', { n: change.strandedBookings.length })}</p>
          <ul>
            {change.strandedBookings.map((b) => (
              <li key={b.id}>
                {formatDateTime(b.start, context.locale, context.timeZone)} · {b.customer.name}
              </li>
            ))}
          </ul>
        </div>
      )}
      <AdminTable label={t('admin_providers')} columns={[t('name'), t('email'), t('timeZone'), t('status')]} actionsLabel={t('actions')}>
        {tenant.providers.map((p) => (
          <tr key={p.id}>
            <th scope="row">{p.name}</th>
            <td>{p.email ?? '—'}</td>
            <td>{p.timeZone ?? tenant.tenant.timeZone}</td>
            <td>{t(p.active ? 'active' : 'inactive')}</td>
            <td class="cell-actions">
              <button type="button" aria-label={t('editNamed', { name: p.name })} onClick={() => setEditing(p.id)}>
                {t('edit')}
              </button>{' '}
              <a href={`/calendar/hours?provider=${encodeURIComponent(p.id)}`} aria-label={t('hoursOf', { name: p.name })}>
                {t('navHours')}
              </a>
            </td>
          </tr>
        ))}
      </AdminTable>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {t('addProvider')}
        </button>
      </div>
      {editing && (
        <ProviderForm
          key={editing}
          context={context}
          provider={editing === 'new' ? undefined : tenant.providers.find((p) => p.id === editing)}
          onDone={(message, result) => {
            setEditing(undefined);
            setStatus(message);
            setChange(result);
            context.reloadTenant();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </>
  );
}

function ProviderForm(props: { context: StaffContext; provider: StaffProvider | undefined; onDone(message: string, change?: ScheduleChange): void; onCancel(): void }) {
  const { context, provider } = props;
  const { t, client, tenant } = context;
  const [draft, setDraft] = useState({
    id: provider?.id ?? '',
    name: provider?.name ?? '',
    email: provider?.email ?? '',
    timeZone: provider?.timeZone ?? tenant.tenant.timeZone,
    notify: provider?.notifyOnBookingChanges ?? false,
  });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const zones = allZones(draft.timeZone);
  const title = provider ? t('editNamed', { name: provider.name }) : t('addProvider');
  const profile = { name: draft.name.trim(), ...(draft.email.trim() ? { email: draft.email.trim() } : {}), timeZone: draft.timeZone, notifyOnBookingChanges: draft.notify };
  const run = async (work: () => Promise<ScheduleChange | unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await work();
      props.onDone(message, result && typeof result === 'object' && 'strandedBookings' in result ? (result as ScheduleChange) : undefined);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  };
  return (
    <form
      class="panel"
      aria-label={title}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run(
          () =>
            provider
              ? client.updateProvider(provider.id, profile)
              : // New providers start with no hours: they set them in the calendar (or an admin does, linked from the list).
                client.createProvider({ id: draft.id.trim(), ...profile, weeklyHours: {} }),
          t('savedNamed', { name: profile.name }),
        );
      }}
    >
      <h2>{title}</h2>
      {!provider && (
        <Field label={t('id')} hint={t('idHint')} error={issueFor(error, 'body.id')}>
          {(id, describedBy) => <input id={id} value={draft.id} aria-describedby={describedBy} onInput={(e) => setDraft({ ...draft, id: e.currentTarget.value })} />}
        </Field>
      )}
      <Field label={t('name')} error={issueFor(error, 'body.name')}>
        {(id, describedBy) => <input id={id} value={draft.name} aria-describedby={describedBy} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />}
      </Field>
      <Field label={t('emailOptional')} error={issueFor(error, 'body.email')}>
        {(id, describedBy) => <input id={id} type="email" value={draft.email} aria-describedby={describedBy} onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })} />}
      </Field>
      <Field label={t('timeZone')} error={issueFor(error, 'body.timeZone')}>
        {(id, describedBy) => (
          <select id={id} value={draft.timeZone} aria-describedby={describedBy} onChange={(e) => setDraft({ ...draft, timeZone: e.currentTarget.value })}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="check">
        <input id="provider-notify" type="checkbox" checked={draft.notify} onChange={(e) => setDraft({ ...draft, notify: e.currentTarget.checked })} />
        <label for="provider-notify">{t('notifyProvider')}</label>
      </div>
      <ErrorBox t={t} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
        {provider?.active && (
          <button type="button" class="danger" disabled={busy} onClick={() => run(() => client.deactivateProvider(provider.id), t('deactivatedNamed', { name: provider.name }))}>
            {t('deactivate')}
          </button>
        )}
        <button type="button" onClick={props.onCancel}>
          {t('cancelAction')}
        </button>
      </div>
    </form>
  );
}
