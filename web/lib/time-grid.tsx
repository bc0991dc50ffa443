import type { ComponentChildren } from 'preact';
import { formatTime, type LocalDate } from './time.ts';
import { minutesInto } from './zoned.ts';

/**
 * Columns of a day each (a provider's week) or of a provider each (reception's day), with the
 * bookings and blocks placed by time on wide screens and listed in order on a phone. Each entry
 * is a button that names its time and what it is, so the grid reads as lists to a screen reader
 * and works with Tab and Enter; the hour axis beside it is decoration (aria-hidden).
 */
export interface GridItem {
  id: string;
  start: string;
  end: string;
  kind: 'booking' | 'block';
  /** "Physiotherapie (30 min) · Lena Schäfer" */
  title: string;
  /** A short state: "attended", "no-show", "override". */
  tags?: string[] | undefined;
  cancelled?: boolean | undefined;
  onOpen(): void;
}

export interface GridColumn {
  key: string;
  /** The local date the column's times are measured from. */
  date: LocalDate;
  heading: ComponentChildren;
  /** Working hours or "closed" under the heading. */
  note?: string | undefined;
  items: GridItem[];
  empty: string;
}

/** The axis spans at least this (local minutes), widened to show every entry. */
const DEFAULT_FROM = 8 * 60;
const DEFAULT_TO = 18 * 60;

export function TimeGrid(props: { columns: GridColumn[]; locale: string; timeZone: string; label: string; class?: string }) {
  const { locale, timeZone } = props;
  let from = DEFAULT_FROM;
  let to = DEFAULT_TO;
  for (const column of props.columns) {
    for (const item of column.items) {
      from = Math.min(from, Math.max(0, minutesInto(column.date, item.start, timeZone)));
      to = Math.max(to, Math.min(24 * 60, minutesInto(column.date, item.end, timeZone)));
    }
  }
  from = Math.floor(from / 60) * 60;
  to = Math.ceil(to / 60) * 60;
  const hours = Array.from({ length: (to - from) / 60 }, (_, i) => from / 60 + i);
  const styleVars = { '--hours': String(hours.length) } as Record<string, string>;
  return (
    <div class={`time-grid ${props.class ?? ''}`} role="group" aria-label={props.label} style={styleVars}>
      <div class="axis" aria-hidden="true">
        <div class="column-head" />
        <ol>
          {hours.map((hour) => (
            <li key={hour}>{`${String(hour).padStart(2, '0')}:00`}</li>
          ))}
        </ol>
      </div>
      {props.columns.map((column) => {
        const headingId = `col-${column.key}`;
        return (
          <section class="grid-column" key={column.key} aria-labelledby={headingId}>
            <div class="column-head">
              <h3 id={headingId}>{column.heading}</h3>
              {column.note && <p class="muted column-note">{column.note}</p>}
            </div>
            {column.items.length === 0 ? (
              <p class="muted empty">{column.empty}</p>
            ) : (
              <ol class="events">
                {column.items.map((item) => {
                  const top = Math.max(0, minutesInto(column.date, item.start, timeZone) - from);
                  const length = Math.max(15, Math.min(to - from, minutesInto(column.date, item.end, timeZone) - from) - top);
                  const vars = { '--top': String(top), '--len': String(length) } as Record<string, string>;
                  const time = `${formatTime(item.start, locale, timeZone)}–${formatTime(item.end, locale, timeZone)}`;
                  return (
                    <li key={item.id} class={`event ${item.kind}${item.cancelled ? ' cancelled' : ''}`} style={vars}>
                      <button type="button" class="event-button" onClick={item.onOpen}>
                        <span class="event-time">{time}</span> <span class="event-title">{item.title}</span>
                        {item.tags && item.tags.length > 0 && <span class="event-tags"> · {item.tags.join(' · ')}</span>}
                      </button>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** Weekly hours of a date as text ("08:00–12:00, 13:00–17:00"), a date exception first. */
export function hoursNote(
  provider: { weeklyHours: Record<string, Array<[string, string]> | undefined>; exceptions: Array<{ date: string; hours: Array<[string, string]>; note?: string | undefined }> },
  date: LocalDate,
  closed: string,
): string {
  const exception = provider.exceptions.find((e) => e.date === date);
  const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${date}T12:00:00Z`).getUTCDay()]!;
  const ranges = exception ? exception.hours : (provider.weeklyHours[weekday] ?? []);
  const text = ranges.length ? ranges.map(([a, b]) => `${a}–${b}`).join(', ') : closed;
  return exception?.note ? `${text} (${exception.note})` : text;
}
