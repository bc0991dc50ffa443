import { useState } from 'preact/hooks';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import { Field, ScreenHeading } from '../../lib/staff-ui.tsx';
import { SearchResults } from '../callers.tsx';

/**
 * Data requests: a customer asks what is held about them (export) or to be forgotten (erasure).
 * Both act on one customer, so this finds the customer; their card's "Data rights" section does
 * the rest (a JSON download; erasure with the name typed out and a reason).
 */
export function DataRequestsScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, tenant } = context;
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  return (
    <>
      <ScreenHeading title={t('admin_data')} business={tenant.tenant.name} />
      <p>{t('dataRequestsExplain')}</p>
      <form
        role="search"
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(text.trim());
        }}
      >
        <Field label={t('searchLabel')} hint={t('searchHint')}>
          {(id, describedBy) => <input id={id} type="search" autocomplete="off" value={text} aria-describedby={describedBy} onInput={(e) => setText(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary">
          {t('search')}
        </button>
      </form>
      {q.length >= 2 && <SearchResults key={q} context={context} q={q} hash="#data" />}
    </>
  );
}
