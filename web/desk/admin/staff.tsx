import { useState } from 'preact/hooks';
import type { Role } from '#shared/domain/staff';
import type { ApiError } from '../../lib/api.ts';
import type { StaffUser } from '../../lib/staff-api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import type { StaffMessageKey } from '../../lib/staff-i18n.ts';
import { asApiError, ErrorBox, Field, issueFor, Loading, ScreenHeading, Status, AdminTable, useLoad } from '../../lib/staff-ui.tsx';

/**
 * Staff accounts: who may sign in, in which role. Inviting answers the local issuer's temporary
 * password once (Cognito mails it instead); removing an account stops its tokens at once
 * (decision 36), and nobody can remove themself.
 */
const roleList: readonly Role[] = ['admin', 'reception', 'provider'];

export function StaffScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, client, tenant, me } = context;
  const users = useLoad(() => client.users(), 'users');
  const [status, setStatus] = useState<string>();
  const [invited, setInvited] = useState<{ user: StaffUser; temporaryPassword?: string }>();
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const providers = new Map(tenant.providers.map((p) => [p.id, p.name]));
  return (
    <>
      <ScreenHeading title={t('admin_staff')} business={tenant.tenant.name} />
      <Status message={status} />
      {invited?.temporaryPassword && (
        <div class="notice" role="status">
          <p>{t('invitedPassword', { email: invited.user.email })}</p>
          <p>
            <code class="secret">{invited.temporaryPassword}</code>
          </p>
        </div>
      )}
      <ErrorBox t={t} error={error} />
      {users.error ? (
        <ErrorBox t={t} error={users.error} onRetry={users.reload} />
      ) : !users.data ? (
        <Loading t={t} />
      ) : (
        <AdminTable label={t('admin_staff')} columns={[t('email'), t('name'), t('role')]} actionsLabel={t('actions')}>
          {users.data.users.map((user) => (
            <tr key={user.id}>
              <th scope="row">{user.email}</th>
              <td>{user.name}</td>
              <td>
                {t(`role_${user.role}` as StaffMessageKey)}
                {user.providerId && ` (${providers.get(user.providerId) ?? user.providerId})`}
              </td>
              <td>
                {user.id === me.userId ? (
                  <span class="muted">{t('you')}</span>
                ) : confirming === user.id ? (
                  <>
                    <button
                      type="button"
                      class="danger"
                      onClick={async () => {
                        setError(undefined);
                        try {
                          await client.removeUser(user.id);
                          setStatus(t('removedNamed', { name: user.email }));
                          setConfirming(undefined);
                          users.reload();
                        } catch (caught) {
                          setError(asApiError(caught));
                        }
                      }}
                    >
                      {t('confirmRemoveNamed', { name: user.email })}
                    </button>{' '}
                    <button type="button" onClick={() => setConfirming(undefined)}>
                      {t('cancelAction')}
                    </button>
                  </>
                ) : (
                  <button type="button" aria-label={t('removeNamed', { name: user.email })} onClick={() => setConfirming(user.id)}>
                    {t('remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
      <InviteForm
        context={context}
        onInvited={(result) => {
          setInvited(result);
          setStatus(t('invitedNamed', { name: result.user.email }));
          users.reload();
        }}
      />
    </>
  );
}

function InviteForm(props: { context: StaffContext; onInvited(result: { user: StaffUser; temporaryPassword?: string }): void }) {
  const { t, client, tenant } = props.context;
  const [draft, setDraft] = useState({ email: '', name: '', role: 'reception' as Role, providerId: tenant.providers[0]?.id ?? '' });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="panel"
      noValidate
      aria-labelledby="invite-title"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          props.onInvited(
            await client.invite({ email: draft.email.trim(), name: draft.name.trim(), role: draft.role, ...(draft.role === 'provider' ? { providerId: draft.providerId } : {}) }),
          );
          setDraft({ ...draft, email: '', name: '' });
        } catch (caught) {
          setError(asApiError(caught));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="invite-title">{t('inviteTitle')}</h2>
      <Field label={t('email')} error={issueFor(error, 'body.email')}>
        {(id, describedBy) => <input id={id} type="email" autocomplete="off" value={draft.email} aria-describedby={describedBy} onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })} />}
      </Field>
      <Field label={t('name')} error={issueFor(error, 'body.name')}>
        {(id, describedBy) => <input id={id} autocomplete="off" value={draft.name} aria-describedby={describedBy} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />}
      </Field>
      <Field label={t('role')}>
        {(id) => (
          <select id={id} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value as Role })}>
            {roleList.map((role) => (
              <option key={role} value={role}>
                {t(`role_${role}` as StaffMessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {draft.role === 'provider' && (
        <Field label={t('linkedProvider')} error={issueFor(error, 'body.providerId')}>
          {(id, describedBy) => (
            <select id={id} value={draft.providerId} aria-describedby={describedBy} onChange={(e) => setDraft({ ...draft, providerId: e.currentTarget.value })}>
              {tenant.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <ErrorBox t={t} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('invite')}
        </button>
      </div>
    </form>
  );
}
