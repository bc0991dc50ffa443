/**
 * The single table's shape, read by the CDK stack and by the local stack's table creation so the
 * two cannot drift. See docs/data-model.md for every item type and access pattern.
 */
export const tableSpec = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [
    /** Bookings and blocks by provider and start (calendars); parked outbox messages by tenant. */
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /**
     * Sparse: only outbox messages waiting to be sent carry these keys, bucketed by the UTC day
     * of their next attempt, so the sweep reads just what is due.
     */
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;
