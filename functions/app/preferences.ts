import { currentConsent, recordConsent } from '#shared/customers/golden-record';
import type { ConsentPurpose, GoldenRecord } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import { CustomerStore, ProfileConflictError } from '#functions/adapters/customer-store';
import type { AppDeps } from './deps.ts';
import { maskEmail } from './mask.ts';

/**
 * The customer's mail preferences, opened with the token in every marketing mail's footer and
 * List-Unsubscribe header (functions/adapters/links.ts). Each change is a new entry in the consent
 * ledger (source "preferences", basis "consent", channel e-mail), never an edit of an old one.
 *
 * The page shows as little as recognises the customer: a first name and a masked address, since
 * a forwarded mail carries the token too.
 */

const OPTIONAL_PURPOSES = ['marketing', 'reviews'] as const satisfies readonly ConsentPurpose[];
const MAX_CONFLICT_RETRIES = 5;

const notFound = () => new DomainError('preferences_not_found', 'This preferences link is not valid (any more).');

function view(record: GoldenRecord, businessName: string) {
  const firstName = record.name?.value.split(/\s+/)[0];
  const email = record.emails[0]?.value;
  return {
    business: { name: businessName },
    customer: { ...(firstName ? { firstName } : {}), ...(email ? { email: maskEmail(email) } : {}) },
    email: { marketing: currentConsent(record, 'marketing', 'email'), reviews: currentConsent(record, 'reviews', 'email') },
  };
}

async function open(deps: AppDeps, token: string) {
  const who = deps.links.readPreferencesToken(token);
  if (!who) throw notFound();
  const config = await deps.store.loadConfig(who.tenantId, deps.clock.now());
  if (!config) throw notFound();
  return { ...who, config, customers: new CustomerStore(deps.store.db, deps.store.tableName) };
}

export async function getPreferences(deps: AppDeps, token: string) {
  const { tenantId, customerId, config, customers } = await open(deps, token);
  // An erased customer has no profile: their old links open nothing. A link of a customer who was
  // merged into another opens the one they became (decision 66).
  const profile = await customers.currentProfile(tenantId, customerId);
  if (!profile) throw notFound();
  return view(profile.record, config.tenant.name);
}

/**
 * Records the customer's choices. Only a change is recorded (saving the page twice adds nothing),
 * and a concurrent profile write (the projector, a merge) makes it read again and decide again.
 */
export async function updatePreferences(deps: AppDeps, token: string, choices: Partial<Record<(typeof OPTIONAL_PURPOSES)[number], boolean>>) {
  const { tenantId, customerId, config, customers } = await open(deps, token);
  for (let attempt = 0; ; attempt += 1) {
    const profile = await customers.currentProfile(tenantId, customerId);
    if (!profile) throw notFound();
    const at = isoInstant(deps.clock.now());
    let record = profile.record;
    for (const purpose of OPTIONAL_PURPOSES) {
      const granted = choices[purpose];
      if (granted === undefined || currentConsent(record, purpose, 'email') === granted) continue;
      record = recordConsent(record, { purpose, channel: 'email', granted, legalBasis: 'consent', source: 'preferences', at });
    }
    if (record === profile.record) return view(record, config.tenant.name);
    try {
      const { revision, ...stored } = profile;
      await customers.putProfile({ ...stored, record, updatedAt: at }, revision);
      return view(record, config.tenant.name);
    } catch (error) {
      if (!(error instanceof ProfileConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}

/** RFC 8058 one-click: withdraw everything optional. Answers 200 even when there was nothing to withdraw. */
export const unsubscribe = (deps: AppDeps, token: string) => updatePreferences(deps, token, { marketing: false, reviews: false });
