import { navigate } from '../lib/router.ts';
import type { StaffProvider } from '../lib/staff-api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { Field } from '../lib/staff-ui.tsx';

/** Whose calendar: a provider's own; for admin and reception the one in `?provider=`, else the first active. */
export function calendarProvider(context: StaffContext): StaffProvider | undefined {
  const { me, tenant, place } = context;
  if (me.role === 'provider') return tenant.providers.find((p) => p.id === me.providerId);
  const asked = new URLSearchParams(place.search).get('provider');
  return tenant.providers.find((p) => p.id === asked) ?? tenant.providers.find((p) => p.active);
}

/** The "whose calendar" choice for admin and reception; nothing for a provider. */
export function ProviderPicker(props: { context: StaffContext; provider: StaffProvider | undefined }) {
  const { context } = props;
  if (context.me.role === 'provider') return null;
  return (
    <Field label={context.t('whoseCalendar')} class="inline-field">
      {(id) => (
        <select
          id={id}
          value={props.provider?.id ?? ''}
          onChange={(event) => {
            const params = new URLSearchParams(context.place.search);
            params.set('provider', event.currentTarget.value);
            navigate(`${context.place.path}?${params}`, { replace: true });
          }}
        >
          {context.tenant.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.active ? '' : ` (${context.t('inactive')})`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
