import * as z from 'zod';
import { journeyRuleSchema, journeySettingsSchema } from '../journeys/rules.ts';
import { bodyErrors, common, type RouteContract } from './contract.ts';
import { base, staff, staffBodyErrors, staffErrors, tenantParams } from './staff-routes.ts';

/**
 * Journeys and consent: the admin's journey rules, reception's task list, and the customer's
 * mail preferences (the link in every marketing mail, and RFC 8058 one-click unsubscribe).
 */

export const journeySettingsViewSchema = z
  .object({
    rules: z.array(journeyRuleSchema),
    reviewUrl: z.string().optional(),
    customised: z.boolean(),
    revision: z.number().int().nonnegative(),
  })
  .meta({ id: 'JourneySettings' });

export const journeySettingsBodySchema = journeySettingsSchema
  .extend({
    /** The revision the admin loaded: a save over a newer one is refused (409). Leave out to overwrite. */
    revision: z.int().nonnegative().optional(),
  })
  .meta({ id: 'JourneySettingsUpdate' });

const taskSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  bookingId: z.string().optional(),
  ruleId: z.string(),
  title: z.string(),
  status: z.enum(['open', 'done']),
  dueAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  doneAt: z.iso.datetime().optional(),
  doneBy: z.string().optional(),
});
export const taskListSchema = z.object({ tasks: z.array(taskSchema) }).meta({ id: 'Tasks' });

export const preferencesSchema = z
  .object({
    business: z.object({ name: z.string() }),
    /** Enough to recognise oneself, not to learn someone else's address from a forwarded link. */
    customer: z.object({ firstName: z.string().optional(), email: z.string().optional() }),
    /** Whether the business may send offers (marketing) and review requests (reviews) by e-mail. */
    email: z.object({ marketing: z.boolean(), reviews: z.boolean() }),
  })
  .meta({ id: 'MailPreferences' });

export const preferencesBodySchema = z
  .strictObject({ marketing: z.boolean().optional(), reviews: z.boolean().optional() })
  .refine((body) => body.marketing !== undefined || body.reviews !== undefined, { message: 'give marketing, reviews or both', path: ['marketing'] })
  .meta({ id: 'MailPreferencesUpdate' });

const preferencesRoute = {
  auth: { kind: 'preferencesToken' },
  params: z.object({ token: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}\.cus_[0-9a-z]{10,40}\.[A-Za-z0-9_-]{43}$/, 'must be a preferences token') }),
} as const;

export const journeyRoutes = {
  getJourneys: {
    id: 'getJourneys',
    method: 'GET',
    path: `${base}/journeys`,
    summary: 'The journey rules (the defaults until an admin saves their own) and the review page',
    auth: staff(['admin'], 'tenant'),
    params: tenantParams,
    responses: { 200: { description: 'The journeys', schema: journeySettingsViewSchema } },
    errors: [...staffErrors],
  },
  putJourneys: {
    id: 'putJourneys',
    method: 'PUT',
    path: `${base}/journeys`,
    summary: 'Replace the journey rules; runs already started keep going unless their rule is removed or disabled',
    auth: staff(['admin'], 'tenant'),
    params: tenantParams,
    body: journeySettingsBodySchema,
    responses: { 200: { description: 'The journeys now', schema: journeySettingsViewSchema } },
    errors: [...staffBodyErrors, 'concurrent_modification'],
  },
  listTasks: {
    id: 'listTasks',
    method: 'GET',
    path: `${base}/tasks`,
    summary: "Reception's open tasks from journeys (e.g. call a customer with a no-show risk to confirm), oldest due first",
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams,
    responses: { 200: { description: 'Open tasks', schema: taskListSchema } },
    errors: [...staffErrors],
  },
  completeTask: {
    id: 'completeTask',
    method: 'POST',
    path: `${base}/tasks/{taskId}/done`,
    summary: 'Mark a task done',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams.extend({ taskId: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,120}$/, 'must be a task id') }),
    responses: { 200: { description: 'The task, done', schema: taskSchema } },
    errors: [...staffErrors, 'task_not_found'],
  },
  getPreferences: {
    id: 'getPreferences',
    method: 'GET',
    path: '/v1/preferences/{token}',
    summary: "A customer's mail preferences, opened from the link in a marketing mail",
    ...preferencesRoute,
    responses: { 200: { description: 'The preferences', schema: preferencesSchema } },
    errors: [...common, 'preferences_not_found'],
  },
  updatePreferences: {
    id: 'updatePreferences',
    method: 'PUT',
    path: '/v1/preferences/{token}',
    summary: 'Give or withdraw consent to offers and review requests by e-mail (recorded in the consent ledger)',
    ...preferencesRoute,
    body: preferencesBodySchema,
    responses: { 200: { description: 'The preferences now', schema: preferencesSchema } },
    errors: [...bodyErrors, 'preferences_not_found'],
  },
  unsubscribe: {
    id: 'unsubscribe',
    method: 'POST',
    path: '/v1/preferences/{token}/unsubscribe',
    summary: 'One-click unsubscribe (RFC 8058): the List-Unsubscribe target; withdraws marketing and review consent. The body is ignored',
    ...preferencesRoute,
    responses: { 200: { description: 'Unsubscribed', schema: preferencesSchema } },
    errors: [...common, 'preferences_not_found'],
  },
} as const satisfies Record<string, RouteContract>;
