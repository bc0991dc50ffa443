/**
 * `npm run bench`: the performance figures of one run, side by side, as ratios, written to
 * docs/benchmarks.md. Localhost only: DynamoDB Local on a free port, the API on another.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAvailability, seedHalfBooked } from './availability.ts';
import { bookableSlots, measureBooking, SLOTS_PER_ROUND } from './booking.ts';
import { firstWeekIn, measureCalendar } from './calendar.ts';
import { esbuildOptions, measureBundles } from './bundles.ts';
import { measureWebBundles } from './web.ts';
import { measureCapacity } from './capacity.ts';
import { measureCustomers } from './customers.ts';
import { measureLifecycle } from './lifecycle.ts';
import { renderScale } from './scale.ts';
import { systemClock } from '#functions/app/deps';
import { measureEngine } from './engine.ts';
import { availabilityPath, benchTenant, MONTH_DAYS, rangeFromToday, type AvailabilityBody } from './fixtures.ts';
import { renderMarkdown, renderSummary, type BenchResults } from './report.ts';
import { CONFIG_TTL_MS, httpJson, startBenchStack } from './stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(root, 'docs/benchmarks.md');
const scaleFile = path.join(root, 'docs/scale.md');

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const step = (message: string) => console.log(`[${elapsed()}] ${message}`);

const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: unknown) => console.error('cleanup:', error));
  })());
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping DynamoDB Local and the API`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<BenchResults> {
  // CPU-only parts first, while nothing else of ours is running.
  step('slot engine');
  const engine = measureEngine({ providers: 10, warmup: 30, iterations: 200 });

  step('bundles');
  const bundleOptions = esbuildOptions();
  const sizes = await measureBundles(root, bundleOptions.options);
  step('web apps (Vite build, gzipped JavaScript per page)');
  const web = await measureWebBundles(root);

  step('starting DynamoDB Local and the API');
  const config = benchTenant();
  const stack = await startBenchStack(config, cleanups);
  const now = Date.now();
  const seedRange = rangeFromToday(now, 1, MONTH_DAYS);
  // Two days clear of the month, so no booking lands on a sheet the availability Queries read (±1 day margin).
  const bookingRange = rangeFromToday(now, MONTH_DAYS + 3, MONTH_DAYS);

  step(`seeding ${seedRange.from} … ${seedRange.to}: every second slot booked through the API`);
  const seed = await seedHalfBooked(stack.api.baseUrl, seedRange);

  step(`availability: API vs bare Queries (${seed.booked} bookings in the month)`);
  const availability = await measureAvailability({
    api: stack.api,
    doc: stack.bare.doc,
    tableName: stack.tableName,
    config,
    range: seedRange,
    warmup: 30,
    iterations: 300,
    budgetMs: 45_000,
  });

  // Before the capacity step, which books two more slots in the month: the week is exactly as seeded.
  const week = firstWeekIn(seedRange);
  step(`staff calendar: reception's week from ${week.monday}, API (JWT verified) vs bare GetItem + GSI1 Queries`);
  const calendar = await measureCalendar({
    api: stack.api,
    staff: stack.reception,
    doc: stack.bare.doc,
    tableName: stack.tableName,
    config,
    week,
    warmup: 30,
    iterations: 300,
    budgetMs: 45_000,
  });

  step('booking: API (no key, with key) vs bare TransactWriteItems');
  const slots = bookableSlots(await httpJson<AvailabilityBody>('GET', `${stack.api.baseUrl}${availabilityPath(bookingRange)}`, 200));
  const booking = await measureBooking({
    api: stack.api,
    doc: stack.bare.doc,
    tableName: stack.tableName,
    slots,
    warmup: 20,
    iterations: Math.min(200, Math.floor(slots.length / SLOTS_PER_ROUND) - 20),
    budgetMs: 45_000,
  });

  step('customers: stream projector over every record so far, then the caller card');
  const customers = await measureCustomers({
    api: stack.api,
    dynamoEndpoint: stack.dynamo.endpoint,
    tableName: stack.tableName,
    store: stack.api.store,
    doc: stack.bare.doc,
    clock: systemClock,
    staff: stack.reception,
    lookups: 200,
    warmup: 20,
  });

  step('consumed capacity');
  const capacity = await measureCapacity({
    baseUrl: stack.api.baseUrl,
    doc: stack.bare.doc,
    tableName: stack.tableName,
    config,
    range: seedRange,
    newClients: stack.newClients,
  });

  step("a booking's whole life: capacity and warm duration per step (the cost model's inputs)");
  const lifeWeek = rangeFromToday(now, 2 * MONTH_DAYS + 6, 7);
  const lifeSlots = bookableSlots(await httpJson<AvailabilityBody>('GET', `${stack.api.baseUrl}${availabilityPath(lifeWeek)}`, 200));
  const lifecycle = await measureLifecycle({
    newClients: stack.newClients,
    tableName: stack.tableName,
    slots: lifeSlots,
    week: lifeWeek,
    bookings: 30,
    warmup: 5,
    viewsPerBooking: 3,
  });

  const cpus = os.cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
      cpus: cpus.length,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
    },
    durationS: (performance.now() - started) / 1000,
    configTtlMs: CONFIG_TTL_MS,
    seed: { range: seedRange, ...seed },
    bookingRange,
    availability,
    calendar,
    customers,
    booking,
    engine,
    bundles: { source: bundleOptions, sizes },
    web,
    capacity,
    lifecycle,
  };
}

try {
  const results = await main();
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, renderMarkdown(results));
  step(`wrote ${path.relative(root, outFile)}`);
  const largestBundleKb = Math.max(...results.bundles.sizes.map((b) => b.rawBytes)) / 1024;
  await writeFile(scaleFile, renderScale({ date: results.date, lifecycle: results.lifecycle, largestBundleKb }));
  step(`wrote ${path.relative(root, scaleFile)}`);
  console.log(`\n${renderSummary(results)}`);
} catch (error) {
  if (!interrupted) console.error('bench failed:', error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
