import type { RouteId } from '#shared/api/routes';

/**
 * Where each route's Lambda handler lives: `functions/http/<routeId>.ts`, exporting `handler`.
 * Kept apart from the registry so the CDK app can name entries without loading every handler.
 */
export const handlerEntry = (routeId: RouteId): string => `functions/http/${routeId}.ts`;
