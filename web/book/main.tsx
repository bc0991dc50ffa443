import { render } from 'preact';
import { isLang } from '../lib/i18n.ts';
import { usePlace } from '../lib/router.ts';
import { BookingApp } from './booking-app.tsx';
import { ManageApp } from './manage-app.tsx';
import { PreferencesPage } from './preferences.tsx';
import { PrivacyPage } from './privacy.tsx';
import { pageContext, Shell } from './shell.tsx';
import { WaitlistLeavePage, WaitlistOfferPage } from './waitlist.tsx';
import './styles.css';

/**
 * One bundle for the customer's pages: /book/<tenant> (the booking flow), /book/<tenant>/privacy,
 * /manage/<bookingId> (the link in every mail, also the confirmation), /preferences/ (the
 * mail-preferences link in marketing mails), and the waitlist mail's /waitlist/<entryId>/offer
 * (book the freed time) and /waitlist/<entryId> (leave the list).
 */
function App() {
  const place = usePlace();
  const parts = place.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'book' && parts[1] && parts[2] === 'privacy') return <PrivacyPage tenantId={parts[1]} place={place} />;
  if (parts[0] === 'book' && parts[1] && parts.length === 2) return <BookingApp key={parts[1]} tenantId={parts[1]} place={place} />;
  if (parts[0] === 'preferences' && parts.length === 1) return <PreferencesPage place={place} />;
  if (parts[0] === 'manage' && parts[1] && parts.length === 2) return <ManageApp key={parts[1]} bookingId={parts[1]} place={place} />;
  if (parts[0] === 'waitlist' && parts[1] && parts[2] === 'offer' && parts.length === 3) return <WaitlistOfferPage key={parts[1]} entryId={parts[1]} place={place} />;
  if (parts[0] === 'waitlist' && parts[1] && parts.length === 2) return <WaitlistLeavePage key={parts[1]} entryId={parts[1]} place={place} />;
  const lang = new URLSearchParams(place.search).get('lang');
  const context = pageContext(isLang(lang) ? lang : undefined, undefined);
  return (
    <Shell context={context} title={context.t('notFound')} onLanguage={() => undefined}>
      <h1>{context.t('notFound')}</h1>
    </Shell>
  );
}

const container = document.getElementById('app')!;
// The static "loading" placeholder is not Preact's to diff: clear it before the first render.
container.textContent = '';
render(<App />, container);
