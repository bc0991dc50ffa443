import { useState } from 'preact/hooks';
import type { ApiError } from '../lib/api.ts';
import type { StaffContext } from '../lib/staff-shell.tsx';
import { asApiError, ErrorBox, Link, Loading, ScreenHeading, Status, useLoad } from '../lib/staff-ui.tsx';
import { formatDateTime } from '../lib/time.ts';

/** Reception's open tasks from journeys (decision 58), oldest due first; "done" takes one off the list. */
export function TasksScreen(props: { context: StaffContext }) {
  const { t, locale, timeZone, client, tenant } = props.context;
  const tasks = useLoad(() => client.tasks(), 'tasks');
  const [done, setDone] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const open = (tasks.data?.tasks ?? []).filter((task) => !done.has(task.id));
  const now = Date.now();
  return (
    <>
      <ScreenHeading title={t('tasksTitle')} business={tenant.tenant.name} />
      <Status message={status} />
      <ErrorBox t={t} error={error} />
      {tasks.error ? (
        <ErrorBox t={t} error={tasks.error} onRetry={tasks.reload} />
      ) : tasks.loading && !tasks.data ? (
        <Loading t={t} />
      ) : open.length === 0 ? (
        <p>{t('noTasks')}</p>
      ) : (
        <ul class="plain-list tasks">
          {open.map((task) => (
            <li key={task.id} class={Date.parse(task.dueAt) <= now ? 'due' : ''}>
              <span>
                <strong>{task.title}</strong>
                <br />
                <span class="muted">
                  {t('dueAt', { when: formatDateTime(task.dueAt, locale, timeZone) })} ·{' '}
                  <Link href={`/desk/customers/${encodeURIComponent(task.customerId)}`}>{t('openCustomer')}</Link>
                </span>
              </span>
              <button
                type="button"
                disabled={busy === task.id}
                aria-label={t('markDoneNamed', { title: task.title })}
                onClick={async () => {
                  setBusy(task.id);
                  setError(undefined);
                  try {
                    await client.completeTask(task.id);
                    setDone(new Set([...done, task.id]));
                    setStatus(t('taskDone', { title: task.title }));
                  } catch (caught) {
                    setError(asApiError(caught));
                  } finally {
                    setBusy(undefined);
                  }
                }}
              >
                {t('markDone')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
