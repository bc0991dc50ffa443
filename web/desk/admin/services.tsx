import { useState } from 'preact/hooks';
import type { ApiError } from '../../lib/api.ts';
import type { StaffService } from '../../lib/staff-api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import { asApiError, ErrorBox, Field, issueFor, ScreenHeading, Status, AdminTable } from '../../lib/staff-ui.tsx';

/**
 * Services: what can be booked, how long, with which buffers, notice and horizon, at what price,
 * with whom. A change applies to new bookings; existing ones keep their times. Deactivating stops
 * new bookings and keeps the old ones (the API has no delete).
 */
type Draft = {
  id: string;
  name: string;
  description: string;
  durationMinutes: string;
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  slotIntervalMinutes: string;
  minNoticeMinutes: string;
  horizonDays: string;
  maxPerDayPerProvider: string;
  price: string;
  currency: string;
  providerIds: string[];
  active: boolean;
};

const draftOf = (s: StaffService | undefined): Draft => ({
  id: s?.id ?? '',
  name: s?.name ?? '',
  description: s?.description ?? '',
  durationMinutes: String(s?.durationMinutes ?? 30),
  bufferBeforeMinutes: String(s?.bufferBeforeMinutes ?? 0),
  bufferAfterMinutes: String(s?.bufferAfterMinutes ?? 0),
  slotIntervalMinutes: s?.slotIntervalMinutes !== undefined ? String(s.slotIntervalMinutes) : '',
  minNoticeMinutes: String(s?.minNoticeMinutes ?? 0),
  horizonDays: String(s?.horizonDays ?? 60),
  maxPerDayPerProvider: s?.maxPerDayPerProvider !== undefined ? String(s.maxPerDayPerProvider) : '',
  price: s?.price ? String(s.price.amount) : '',
  currency: s?.price?.currency ?? 'EUR',
  providerIds: s?.providerIds ?? [],
  active: s?.active ?? true,
});

/** The body the API takes: numbers as numbers, empty optional fields left out. */
export function serviceBody(draft: Draft): Record<string, unknown> {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const body: Record<string, unknown> = {
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    durationMinutes: number(draft.durationMinutes),
    bufferBeforeMinutes: number(draft.bufferBeforeMinutes) ?? 0,
    bufferAfterMinutes: number(draft.bufferAfterMinutes) ?? 0,
    minNoticeMinutes: number(draft.minNoticeMinutes) ?? 0,
    horizonDays: number(draft.horizonDays) ?? 60,
    providerIds: draft.providerIds,
    active: draft.active,
  };
  if (number(draft.slotIntervalMinutes) !== undefined) body.slotIntervalMinutes = number(draft.slotIntervalMinutes);
  if (number(draft.maxPerDayPerProvider) !== undefined) body.maxPerDayPerProvider = number(draft.maxPerDayPerProvider);
  if (number(draft.price) !== undefined) body.price = { amount: number(draft.price), currency: draft.currency.trim().toUpperCase() };
  return body;
}

export function ServicesScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, locale, tenant } = context;
  const [editing, setEditing] = useState<string | 'new'>();
  const [status, setStatus] = useState<string>();
  const providers = new Map(tenant.providers.map((p) => [p.id, p.name]));
  const money = (s: StaffService) => (s.price ? new Intl.NumberFormat(locale, { style: 'currency', currency: s.price.currency }).format(s.price.amount) : '—');
  return (
    <>
      <ScreenHeading title={t('admin_services')} business={tenant.tenant.name} />
      <Status message={status} />
      <AdminTable label={t('admin_services')} columns={[t('name'), t('duration'), t('price'), t('providers'), t('status')]} actionsLabel={t('actions')}>
        {tenant.services.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>{t('minutesShort', { n: s.durationMinutes })}</td>
            <td>{money(s)}</td>
            <td>{s.providerIds.map((id) => providers.get(id) ?? id).join(', ')}</td>
            <td>{t(s.active ? 'active' : 'inactive')}</td>
            <td>
              <button type="button" aria-label={t('editNamed', { name: s.name })} onClick={() => setEditing(s.id)}>
                {t('edit')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {t('addService')}
        </button>
      </div>
      {editing && (
        <ServiceForm
          key={editing}
          context={context}
          service={editing === 'new' ? undefined : tenant.services.find((s) => s.id === editing)}
          onDone={(message) => {
            setEditing(undefined);
            setStatus(message);
            context.reloadTenant();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </>
  );
}

function ServiceForm(props: { context: StaffContext; service: StaffService | undefined; onDone(message: string): void; onCancel(): void }) {
  const { context, service } = props;
  const { t, client, tenant } = context;
  const [draft, setDraft] = useState(() => draftOf(service));
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      props.onDone(message);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  };
  const numberField = (key: keyof Draft, label: string, hint?: string) => (
    <Field label={label} hint={hint} error={issueFor(error, `body.${key}`)}>
      {(id, describedBy) => (
        <input id={id} type="number" inputMode="numeric" min={0} value={draft[key] as string} aria-describedby={describedBy} onInput={(e) => set({ [key]: e.currentTarget.value })} />
      )}
    </Field>
  );
  const title = service ? t('editNamed', { name: service.name }) : t('addService');
  return (
    <form
      class="panel"
      aria-label={title}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const body = serviceBody(draft);
        void run(
          () => (service ? client.updateService(service.id, body) : client.createService({ id: draft.id.trim(), ...body })),
          t('savedNamed', { name: draft.name.trim() }),
        );
      }}
    >
      <h2>{title}</h2>
      {!service && (
        <Field label={t('id')} hint={t('idHint')} error={issueFor(error, 'body.id')}>
          {(id, describedBy) => <input id={id} value={draft.id} aria-describedby={describedBy} onInput={(e) => set({ id: e.currentTarget.value })} />}
        </Field>
      )}
      <Field label={t('name')} error={issueFor(error, 'body.name')}>
        {(id, describedBy) => <input id={id} value={draft.name} aria-describedby={describedBy} onInput={(e) => set({ name: e.currentTarget.value })} />}
      </Field>
      <Field label={t('descriptionOptional')} error={issueFor(error, 'body.description')}>
        {(id, describedBy) => <textarea id={id} rows={2} value={draft.description} aria-describedby={describedBy} onInput={(e) => set({ description: e.currentTarget.value })} />}
      </Field>
      <div class="row wrap">
        {numberField('durationMinutes', t('durationMinutes'))}
        {numberField('bufferBeforeMinutes', t('bufferBefore'))}
        {numberField('bufferAfterMinutes', t('bufferAfter'))}
        {numberField('slotIntervalMinutes', t('slotInterval'), t('slotIntervalHint'))}
        {numberField('minNoticeMinutes', t('minNotice'))}
        {numberField('horizonDays', t('horizonDays'))}
        {numberField('maxPerDayPerProvider', t('maxPerDay'), t('optional'))}
      </div>
      <div class="row">
        <Field label={t('priceOptional')} error={issueFor(error, 'body.price')}>
          {(id, describedBy) => <input id={id} type="number" min={0} step="0.01" value={draft.price} aria-describedby={describedBy} onInput={(e) => set({ price: e.currentTarget.value })} />}
        </Field>
        <Field label={t('currency')}>{(id) => <input id={id} maxLength={3} value={draft.currency} onInput={(e) => set({ currency: e.currentTarget.value })} />}</Field>
      </div>
      <fieldset>
        <legend>{t('providers')}</legend>
        {tenant.providers.map((p) => (
          <div class="check" key={p.id}>
            <input
              id={`svc-provider-${p.id}`}
              type="checkbox"
              checked={draft.providerIds.includes(p.id)}
              onChange={(e) => set({ providerIds: e.currentTarget.checked ? [...draft.providerIds, p.id] : draft.providerIds.filter((x) => x !== p.id) })}
            />
            <label for={`svc-provider-${p.id}`}>{p.name}</label>
          </div>
        ))}
        {issueFor(error, 'body.providerIds') && <p class="field-error">{issueFor(error, 'body.providerIds')}</p>}
      </fieldset>
      <ErrorBox t={t} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
        {service?.active && (
          <button type="button" class="danger" disabled={busy} onClick={() => run(() => client.deactivateService(service.id), t('deactivatedNamed', { name: service.name }))}>
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
