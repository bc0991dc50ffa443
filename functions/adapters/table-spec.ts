/**
 * The single table's shape, read by the CDK stack and by the local stack's table creation so the
 * two cannot drift. See docs/data-model.md for every item type and access pattern.
 */
export const tableSpec = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [
    /** Bookings by provider and start (calendar listings). */
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  ],
} as const;
