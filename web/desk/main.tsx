import { render } from 'preact';
import { StaffApp, type StaffContext } from '../lib/staff-shell.tsx';
import '../book/styles.css';
import '../lib/staff.css';
import { AdminScreen } from './admin/admin.tsx';
import { CallerScreen, CustomerScreen } from './callers.tsx';
import { DayScreen } from './day.tsx';
import { NewBookingScreen } from './new-booking.tsx';
import { TasksScreen } from './tasks.tsx';

/**
 * Reception's desk at /desk/: find the caller (phone, name or e-mail) and their card, the day
 * across providers, booking on behalf, the journeys' tasks, and for admins the business's
 * settings. Every path under /desk/ serves this page (infra/local/web.ts); it routes here.
 */
const parts = (path: string) => path.replace(/^\/desk\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

function nav(context: StaffContext) {
  const { t, place, me } = context;
  const [first] = parts(place.path);
  const items = [
    { href: '/desk/', label: t('navCallers'), current: first === undefined || first === 'customers' },
    { href: '/desk/day', label: t('navDay'), current: first === 'day' },
    { href: '/desk/book', label: t('navBook'), current: first === 'book' },
    { href: '/desk/tasks', label: t('navTasks'), current: first === 'tasks' },
  ];
  if (me.role === 'admin') items.push({ href: '/desk/admin/services', label: t('navAdmin'), current: first === 'admin' });
  return items;
}

function screen(context: StaffContext) {
  const [first, second, ...rest] = parts(context.place.path);
  if (first === undefined) return <CallerScreen context={context} />;
  if (first === 'customers' && second && rest.length === 0) return <CustomerScreen key={second} context={context} customerId={second} />;
  if (first === 'day' && !second) return <DayScreen context={context} />;
  if (first === 'book' && !second) return <NewBookingScreen context={context} />;
  if (first === 'tasks' && !second) return <TasksScreen context={context} />;
  if (first === 'admin') return <AdminScreen context={context} section={second} />;
  return <h1>{context.t('notFound')}</h1>;
}

function Desk() {
  return (
    <StaffApp app="desk" roles={['reception', 'admin']} nav={nav}>
      {screen}
    </StaffApp>
  );
}

const container = document.getElementById('app')!;
container.textContent = '';
render(<Desk />, container);
