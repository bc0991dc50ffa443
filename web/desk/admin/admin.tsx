import type { StaffContext } from '../../lib/staff-shell.tsx';
import type { StaffMessageKey } from '../../lib/staff-i18n.ts';
import { Link, ScreenHeading } from '../../lib/staff-ui.tsx';
import { ConsentScreen } from './consent.tsx';
import { DataRequestsScreen } from './data.tsx';
import { InsightsScreen } from './insights.tsx';
import { JourneysScreen } from './journeys.tsx';
import { ProvidersScreen } from './providers.tsx';
import { RemindersScreen } from './reminders.tsx';
import { ServicesScreen } from './services.tsx';
import { StaffScreen } from './staff.tsx';

/** The admin's screens, under /desk/admin/<section>; the API refuses other roles anyway (403). */
const sections = {
  services: ServicesScreen,
  providers: ProvidersScreen,
  staff: StaffScreen,
  reminders: RemindersScreen,
  journeys: JourneysScreen,
  consent: ConsentScreen,
  insights: InsightsScreen,
  data: DataRequestsScreen,
} as const;
type Section = keyof typeof sections;

export function AdminScreen(props: { context: StaffContext; section: string | undefined }) {
  const { context } = props;
  const { t } = context;
  if (context.me.role !== 'admin') {
    return (
      <>
        <ScreenHeading title={t('adminOnly')} />
        <p>{t('adminOnlyExplain')}</p>
      </>
    );
  }
  const section = (props.section && props.section in sections ? props.section : 'services') as Section;
  const Screen = sections[section];
  return (
    <div class="admin">
      <nav aria-label={t('adminNav')} class="sub-nav">
        <ul>
          {(Object.keys(sections) as Section[]).map((name) => (
            <li key={name}>
              <Link href={`/desk/admin/${name}`} current={name === section}>
                {t(`admin_${name}` as StaffMessageKey)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-body">
        <Screen context={context} />
      </div>
    </div>
  );
}
