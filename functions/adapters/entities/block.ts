import type { Actor } from '#shared/domain/staff';
import { providerPk } from './day-sheet.ts';

/**
 * A block: time off that claims day-sheet units like a booking does (owner = the block id). The
 * item sits in the provider's partition next to the day sheets; GSI1 lists a provider's blocks by
 * start, beside its bookings ("BL#" after "BK#").
 */
export interface StoredBlock {
  id: string;
  tenantId: string;
  providerId: string;
  start: string;
  end: string;
  reason?: string | undefined;
  /** The provider's zone when it was claimed, so removal releases exactly the claimed sheets. */
  timeZone: string;
  createdAt: string;
  createdBy: Actor;
}

export const blockSk = (blockId: string) => `BLOCK#${blockId}`;
export const blockGsi1Sk = (start: string, id: string) => `BL#${start}#${id}`;

export const blockItem = (block: StoredBlock): Record<string, unknown> => ({
  PK: providerPk(block.tenantId, block.providerId),
  SK: blockSk(block.id),
  type: 'block',
  GSI1PK: providerPk(block.tenantId, block.providerId),
  GSI1SK: blockGsi1Sk(block.start, block.id),
  ...block,
});

export function blockFromItem(item: Record<string, unknown>): StoredBlock {
  const { PK: _pk, SK: _sk, type: _type, GSI1PK: _g1, GSI1SK: _g2, ...block } = item;
  return block as unknown as StoredBlock;
}

/** What the API shows of a block (the zone is an internal detail of its claim). */
export function publicBlock(block: StoredBlock) {
  const { timeZone: _zone, ...rest } = block;
  return rest;
}
