import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { LocalDirectory } from '#infra/local/identity/accounts';
import { DEMO_PASSWORD, seedDemoUsers } from '#infra/local/identity/demo-users';
import type { E2eStack } from './stack.ts';

/**
 * Staff for the browser tests: the demo accounts `npm start` seeds (same directory over the test
 * table, so /auth/sign-in finds them), API calls as a signed-in member for arranging and checking,
 * and signing in through the apps' own form.
 */
export const staffEmails = {
  admin: 'admin@demo.kairos.test',
  reception: 'reception@demo.kairos.test',
  anna: 'anna@demo.kairos.test',
  ben: 'ben@demo.kairos.test',
} as const;

export async function seedStaff(stack: E2eStack): Promise<void> {
  await seedDemoUsers(stack.store, new LocalDirectory(stack.store), 'demo', stack.clock.now());
}

/** An ID token from the local issuer, as the apps get it. */
export async function staffToken(stack: E2eStack, email: string): Promise<string> {
  const response = await fetch(`${stack.baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(response.status, `sign-in of ${email}`).toBe(200);
  return ((await response.json()) as { idToken: string }).idToken;
}

/** One API call, its status and JSON body. */
export async function callApi(stack: E2eStack, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A booking through the public API (as a customer would make it online), at the stack clock's now. */
export async function bookOnline(stack: E2eStack, body: { serviceId: string; providerId: string; start: string; customer: Record<string, unknown> }): Promise<string> {
  const { status, body: answer } = await callApi(stack, 'POST', '/v1/tenants/demo/bookings', { body });
  expect(status, JSON.stringify(answer)).toBe(201);
  return answer.booking.id as string;
}

/** Signs in through the app's form (the page must show it) and waits for the app behind it. */
export async function signInWithForm(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

export const english = { email: 'E-mail', password: 'Password', submit: 'Sign in' };
export const german = { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' };

/** Polls until `check` passes (the projector and the mail sender work on the table's stream, not in the request). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
