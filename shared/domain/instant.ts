/**
 * UTC ISO-8601 as the API and the table write instants: without a zero millisecond part
 * (slot instants are on the minute grid, so they read `2026-12-01T09:00:00Z`).
 */
export const isoInstant = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
