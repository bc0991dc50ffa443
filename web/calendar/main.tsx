import { render } from 'preact';
import { StaffApp, type StaffContext } from '../lib/staff-shell.tsx';
import '../book/styles.css';
import '../lib/staff.css';
import { FeedScreen } from './feed.tsx';
import { HoursScreen } from './hours.tsx';
import { ScheduleScreen } from './schedule.tsx';

/**
 * The provider's calendar at /calendar/: the week or a day of bookings and blocks, blocking time,
 * weekly hours and date exceptions, and the iCal feed. Providers see their own; an admin or
 * reception member picks whose calendar (the API enforces the same: decision 28).
 */
const screens = {
  '': ScheduleScreen,
  hours: HoursScreen,
  feed: FeedScreen,
} as const;

const screenOf = (path: string) => path.replace(/^\/calendar\/?/, '').replace(/\/$/, '');

function nav(context: StaffContext) {
  const { t, place } = context;
  const current = screenOf(place.path);
  // Keep the chosen provider when moving between screens.
  const provider = new URLSearchParams(place.search).get('provider');
  const suffix = provider ? `?provider=${encodeURIComponent(provider)}` : '';
  return [
    { href: `/calendar/${suffix}`, label: t('navSchedule'), current: current === '' },
    { href: `/calendar/hours${suffix}`, label: t('navHours'), current: current === 'hours' },
    { href: `/calendar/feed${suffix}`, label: t('navFeed'), current: current === 'feed' },
  ];
}

function Calendar() {
  return (
    <StaffApp app="calendar" roles={['provider', 'admin', 'reception']} nav={nav}>
      {(context) => {
        const Screen = screens[screenOf(context.place.path) as keyof typeof screens];
        if (!Screen) return <h1>{context.t('notFound')}</h1>;
        return <Screen context={context} />;
      }}
    </StaffApp>
  );
}

const container = document.getElementById('app')!;
container.textContent = '';
render(<Calendar />, container);
