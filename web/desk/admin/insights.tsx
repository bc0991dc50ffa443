import { useState } from 'preact/hooks';
import type { InsightMonth } from '../../lib/staff-api.ts';
import type { StaffContext } from '../../lib/staff-shell.tsx';
import type { StaffMessageKey } from '../../lib/staff-i18n.ts';
import { ErrorBox, Field, Loading, ScreenHeading, TableWrap, useLoad } from '../../lib/staff-ui.tsx';
import { addMonths, formatMonth, monthOf } from '../../lib/time.ts';
import { today } from '../../lib/zoned.ts';

/**
 * Monthly figures (decision 60) as small inline SVG bar charts, one per figure, each followed by
 * the same numbers in a table: the chart is for the eye, the table for everyone (a chart is one
 * image to a screen reader).
 */
type Metric = { key: keyof InsightMonth; label: StaffMessageKey; rate: boolean };
const metrics: Metric[] = [
  { key: 'bookingsMade', label: 'mBookings', rate: false },
  { key: 'noShowRate', label: 'mNoShowRate', rate: true },
  { key: 'lateCancelRate', label: 'mLateCancelRate', rate: true },
  { key: 'rebookRate', label: 'mRebookRate', rate: true },
  { key: 'afterHoursShare', label: 'mAfterHours', rate: true },
  { key: 'lapsingCustomers', label: 'mLapsing', rate: false },
];

export function InsightsScreen(props: { context: StaffContext }) {
  const { context } = props;
  const { t, locale, client, tenant } = context;
  const thisMonth = monthOf(today(tenant.tenant.timeZone));
  const [range, setRange] = useState({ from: addMonths(thisMonth, -5), to: thisMonth });
  const [draft, setDraft] = useState(range);
  const insights = useLoad(() => client.insights(range.from, range.to), `${range.from}|${range.to}`);
  const months = insights.data?.months ?? [];
  const format = (metric: Metric, value: unknown) =>
    typeof value !== 'number' ? '–' : metric.rate ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value) : new Intl.NumberFormat(locale).format(value);
  return (
    <>
      <ScreenHeading title={t('admin_insights')} business={tenant.tenant.name} />
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setRange(draft);
        }}
      >
        <Field label={t('fromMonth')} class="inline-field">
          {(id) => <input id={id} type="month" value={draft.from} max={thisMonth} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />}
        </Field>
        <Field label={t('toMonth')} class="inline-field">
          {(id) => <input id={id} type="month" value={draft.to} max={thisMonth} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />}
        </Field>
        <button type="submit">{t('show')}</button>
      </form>
      <p class="hint">{t('insightsHint', { zone: tenant.tenant.timeZone })}</p>
      {insights.error ? (
        <ErrorBox t={t} error={insights.error} />
      ) : insights.loading && !insights.data ? (
        <Loading t={t} />
      ) : (
        <>
          <div class="charts">
            {metrics.map((metric) => (
              <BarChart
                key={metric.key}
                title={t(metric.label)}
                bars={months.map((m) => ({ label: formatMonth(m.month, locale), short: m.month.slice(5), value: typeof m[metric.key] === 'number' ? (m[metric.key] as number) : undefined }))}
                max={metric.rate ? 1 : undefined}
                format={(v) => format(metric, v)}
                empty={t('noData')}
              />
            ))}
          </div>
          <TableWrap label={t('insightsTable')}>
            <table class="data">
              <caption>{t('insightsTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('month')}</th>
                  {metrics.map((metric) => (
                    <th scope="col" key={metric.key}>
                      {t(metric.label)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">
                      {formatMonth(m.month, locale)}
                      {!m.complete && ` (${t('monthRunning')})`}
                    </th>
                    {metrics.map((metric) => (
                      <td key={metric.key}>{format(metric, m[metric.key])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}

/** Vertical bars with their values on top; the accessible name lists every value. */
function BarChart(props: { title: string; bars: Array<{ label: string; short: string; value: number | undefined }>; max?: number | undefined; format(value: number | undefined): string; empty: string }) {
  const width = 320;
  const height = 140;
  const base = height - 20;
  const top = 18;
  const max = props.max ?? Math.max(1, ...props.bars.map((b) => b.value ?? 0));
  const slot = width / Math.max(1, props.bars.length);
  const description = props.bars.map((b) => `${b.label}: ${props.format(b.value)}`).join('; ');
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.title}. ${description || props.empty}`}>
        <line x1={0} x2={width} y1={base} y2={base} class="chart-axis" />
        {props.bars.map((bar, i) => {
          const h = bar.value === undefined ? 0 : ((base - top) * bar.value) / max;
          const x = i * slot + slot * 0.2;
          return (
            <g key={bar.label}>
              <rect x={x} y={base - h} width={slot * 0.6} height={h} class="chart-bar" />
              <text x={x + slot * 0.3} y={base - h - 4} text-anchor="middle" class="chart-value">
                {props.format(bar.value)}
              </text>
              <text x={x + slot * 0.3} y={height - 6} text-anchor="middle" class="chart-label">
                {bar.short}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
