import type * as z from 'zod';
import type { blockBodySchema } from '#shared/api/staff-routes';
import { providerZone } from '#shared/domain/booking';
import { blockChanges, spanClaims } from '#shared/domain/claims';
import { DomainError } from '#shared/domain/errors';
import { unitsCovering } from '#shared/domain/slots';
import type { Actor } from '#shared/domain/staff';
import { publicBlock, type StoredBlock } from '#functions/adapters/entities/block';
import { publicBooking } from '#functions/adapters/entities/booking';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';

/** Attempts when bookings keep changing the sheets between our read and our write. */
const BLOCK_ATTEMPTS = 3;


async function activeProvider(deps: AppDeps, tenantId: string, providerId: string) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  const provider = config.providers.find((p) => p.id === providerId);
  if (!provider) throw new DomainError('provider_not_found', `No provider "${providerId}" in this tenant.`, { field: 'providerId' });
  return { config, provider };
}

/** The bookings and blocks that own units in a span, for the 409 that lists them. */
async function conflictsOf(deps: AppDeps, tenantId: string, providerId: string, owners: ReadonlySet<string>) {
  const ids = [...owners].sort();
  const [bookings, blocks] = await Promise.all([
    Promise.all(ids.filter((id) => id.startsWith('bk_')).map((id) => deps.store.getBooking(id))),
    Promise.all(ids.filter((id) => id.startsWith('bl_')).map((id) => deps.store.getBlock(tenantId, providerId, id))),
  ]);
  return {
    bookings: bookings.filter((b) => b !== undefined).map(publicBooking),
    blocks: blocks.filter((b) => b !== undefined).map(publicBlock),
  };
}

/**
 * Blocks time off on a provider's day sheets. The sheets are read, the units checked here (so
 * a refusal can list what is in the way), and the claim written conditioned on each sheet's
 * version: a booking that sneaks in between moves the version and the write is retried.
 * A block never displaces a booking or another block.
 */
export async function createBlock(
  deps: AppDeps,
  tenantId: string,
  providerId: string,
  body: z.output<typeof blockBodySchema>,
  actor: Actor,
) {
  const { config, provider } = await activeProvider(deps, tenantId, providerId);
  if (!provider.active) throw new DomainError('provider_not_found', `Provider "${providerId}" is deactivated.`, { field: 'providerId' });
  const zone = providerZone(config, provider);
  const start = Date.parse(body.start);
  const end = Date.parse(body.end);
  const claims = spanClaims(providerId, zone, start, [start, end]);
  const block: StoredBlock = {
    id: deps.ids.blockId(),
    tenantId,
    providerId,
    start: isoInstant(start),
    end: isoInstant(end),
    ...(body.reason ? { reason: body.reason } : {}),
    timeZone: zone,
    createdAt: isoInstant(deps.clock.now()),
    createdBy: actor,
  };
  for (let attempt = 1; ; attempt += 1) {
    const sheets = await deps.store.readSheets(tenantId, providerId, claims[0]!.localDate, claims.at(-1)!.localDate);
    const owners = new Set(unitsCovering(start, end).flatMap((unit) => sheets.taken.get(unit) ?? []));
    if (owners.size > 0) {
      const conflicts = await conflictsOf(deps, tenantId, providerId, owners);
      const what = conflicts.bookings.length > 0 ? `${conflicts.bookings.length} booking(s)` : 'another block';
      throw new DomainError('blocked_by_bookings', `This time overlaps ${what}; move or cancel them first.`, {
        field: 'start',
        ...conflicts,
      });
    }
    const changes = blockChanges(block.id, claims, 'claim').map((change) => ({
      ...change,
      expectedVersion: sheets.versions?.get(change.localDate) ?? null,
    }));
    try {
      await deps.store.insertBlock(block, changes);
      return publicBlock(block);
    } catch (error) {
      // A sheet moved on since we read it: read again and decide again.
      if (!(error instanceof DomainError && error.code === 'slot_taken') || attempt >= BLOCK_ATTEMPTS) throw error;
    }
  }
}

export async function deleteBlock(deps: AppDeps, tenantId: string, providerId: string, blockId: string): Promise<void> {
  await activeProvider(deps, tenantId, providerId);
  const block = await deps.store.getBlock(tenantId, providerId, blockId);
  if (!block) throw new DomainError('block_not_found', 'No such block.', { field: 'blockId' });
  const start = Date.parse(block.start);
  const claims = spanClaims(providerId, block.timeZone, start, [start, Date.parse(block.end)]);
  try {
    await deps.store.deleteBlock(block, blockChanges(block.id, claims, 'release'));
  } catch (error) {
    // Removed by someone else meanwhile: the outcome the caller wanted.
    if (error instanceof DomainError && error.code === 'concurrent_modification') return;
    throw error;
  }
}
