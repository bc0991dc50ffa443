import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Slot } from '../lib/api.ts';
import type { Translate } from '../lib/i18n.ts';
import { addDays, addMonths, allZones, firstOfMonth, formatDate, formatMonth, formatTime, isoWeekday, lastOfMonth, localDateOf, monthOf, monthWeeks, weekdayNames, zoneLabel, type LocalDate } from '../lib/time.ts';

/**
 * The slot picker shared by booking and rescheduling: a month of days as a WAI-ARIA grid, the
 * open times of one day as buttons, the viewer's zone named and changeable.
 */

export interface MonthSlots {
  /** Open slots per local date (in the viewer's zone). */
  byDate: Map<LocalDate, Slot[]>;
  loading: boolean;
  error?: ApiError | undefined;
}

const monthCache = new Map<string, Promise<Map<LocalDate, Slot[]>>>();

/** Forget cached availability (after a booking changes what is free). */
export const forgetAvailability = () => monthCache.clear();

export async function slotsBetween(tenantId: string, serviceId: string, providerId: string | undefined, timeZone: string, from: LocalDate, to: LocalDate) {
  const key = [tenantId, serviceId, providerId ?? '', timeZone, from, to].join('|');
  let pending = monthCache.get(key);
  if (!pending) {
    pending = api.availability(tenantId, { serviceId, providerId, timeZone, from, to }).then((availability) => {
      const byDate = new Map<LocalDate, Slot[]>();
      for (const slot of availability.slots) {
        const date = localDateOf(slot.start, timeZone);
        const list = byDate.get(date) ?? [];
        list.push(slot);
        byDate.set(date, list);
      }
      return byDate;
    });
    pending.catch(() => monthCache.delete(key));
    monthCache.set(key, pending);
  }
  return pending;
}

/** Open slots of the month, within [min, max]; re-read when any input changes. */
export function useMonthSlots(tenantId: string, serviceId: string, providerId: string | undefined, timeZone: string, month: string, min: LocalDate, max: LocalDate): MonthSlots {
  const [state, setState] = useState<MonthSlots>({ byDate: new Map(), loading: true });
  useEffect(() => {
    const from = firstOfMonth(month) < min ? min : firstOfMonth(month);
    const to = lastOfMonth(month) > max ? max : lastOfMonth(month);
    if (from > to) {
      setState({ byDate: new Map(), loading: false });
      return;
    }
    let live = true;
    setState((previous) => ({ byDate: previous.byDate, loading: true }));
    slotsBetween(tenantId, serviceId, providerId, timeZone, from, to).then(
      (byDate) => live && setState({ byDate, loading: false }),
      (error: unknown) => live && setState({ byDate: new Map(), loading: false, error: error instanceof ApiError ? error : new ApiError(0, 'network', String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [tenantId, serviceId, providerId, timeZone, month, min, max]);
  return state;
}

export interface DateGridProps {
  t: Translate;
  locale: string;
  month: string;
  onMonth(month: string): void;
  selected?: LocalDate | undefined;
  today: LocalDate;
  min: LocalDate;
  max: LocalDate;
  slots: MonthSlots;
  onSelect(date: LocalDate): void;
}

/**
 * The date grid of the WAI-ARIA date picker pattern, inline: one tab stop (roving tabindex),
 * arrows move by day and week, Home/End to the week's ends, Page Up/Down by month (with Shift
 * by year), Enter or Space choose. Days without open times can be reached but not chosen, and
 * say so; moving past the month's edge turns the page.
 */
export function DateGrid(props: DateGridProps) {
  const { t, locale, month, slots, min, max } = props;
  const [focus, setFocusState] = useState<LocalDate>(() => props.selected ?? firstAvailable(slots, month) ?? (monthOf(props.today) === month ? props.today : firstOfMonth(month)));
  // Keys can arrive faster than renders: the handler reads the focus from here, not from a stale closure.
  const focusRef = useRef(focus);
  const shownMonth = useRef(month);
  shownMonth.current = month;
  const setFocus = (date: LocalDate) => {
    focusRef.current = date;
    setFocusState(date);
  };
  /** The focus was moved by a key or a click, so the DOM focus must follow it after the render. */
  const moved = useRef(false);
  /** Once the customer has moved around the grid, arriving availability no longer moves the focus. */
  const interacted = useRef(false);
  const grid = useRef<HTMLTableElement>(null);
  const weeks = useMemo(() => monthWeeks(month), [month]);
  const shortNames = useMemo(() => weekdayNames(locale, 'short'), [locale]);
  const longNames = useMemo(() => weekdayNames(locale, 'long'), [locale]);
  const labelId = `month-${month}`;

  // Keep the roving focus inside the shown month (after the buttons turned the page, or the
  // availability arrived and the first open day is known).
  useEffect(() => {
    if (monthOf(focus) !== month) setFocus(props.selected && monthOf(props.selected) === month ? props.selected : firstAvailable(slots, month) ?? firstOfMonth(month));
  }, [month]);
  // A layout effect, like the one below: when the grid stops being busy, the tab stop is already
  // on the first open day; an effect after paint left a moment in which Tab landed on today.
  useLayoutEffect(() => {
    if (!slots.loading && !interacted.current && !props.selected) {
      const first = firstAvailable(slots, month);
      if (first) setFocus(first);
    }
  }, [slots.loading]);
  // A layout effect: the DOM focus must follow before the next key arrives, or that key lands on
  // a cell the render just removed (turning the month) and is lost.
  useLayoutEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    grid.current?.querySelector<HTMLElement>(`[data-date="${focus}"]`)?.focus();
  }, [focus, month]);

  const inRange = (date: LocalDate) => date >= min && date <= max;
  const available = (date: LocalDate) => inRange(date) && (slots.byDate.get(date)?.length ?? 0) > 0;

  const moveTo = (date: LocalDate) => {
    const bounded = date < firstOfMonth(monthOf(min)) ? firstOfMonth(monthOf(min)) : date > lastOfMonth(monthOf(max)) ? lastOfMonth(monthOf(max)) : date;
    moved.current = true;
    interacted.current = true;
    setFocus(bounded);
    if (monthOf(bounded) !== shownMonth.current) {
      shownMonth.current = monthOf(bounded);
      props.onMonth(monthOf(bounded));
    }
  };
  const sameDayInMonth = (date: LocalDate, months: number) => {
    const target = addMonths(monthOf(date), months);
    const day = date.slice(8);
    const last = lastOfMonth(target);
    return `${target}-${day}` > last ? last : `${target}-${day}`;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const focus = focusRef.current;
    const keys: Record<string, () => LocalDate> = {
      ArrowLeft: () => addDays(focus, -1),
      ArrowRight: () => addDays(focus, 1),
      ArrowUp: () => addDays(focus, -7),
      ArrowDown: () => addDays(focus, 7),
      Home: () => addDays(focus, -isoWeekday(focus)),
      End: () => addDays(focus, 6 - isoWeekday(focus)),
      PageUp: () => sameDayInMonth(focus, event.shiftKey ? -12 : -1),
      PageDown: () => sameDayInMonth(focus, event.shiftKey ? 12 : 1),
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (available(focus)) props.onSelect(focus);
      return;
    }
    const next = keys[event.key];
    if (!next) return;
    event.preventDefault();
    moveTo(next());
  };

  const canGoBack = month > monthOf(min);
  const canGoForward = month < monthOf(max);

  return (
    <div class="date-picker">
      <div class="month-bar">
        <button type="button" class="icon" aria-label={t('previousMonth')} disabled={!canGoBack} onClick={() => props.onMonth(addMonths(month, -1))}>
          ‹
        </button>
        <h3 id={labelId} aria-live="polite">
          {formatMonth(month, locale)}
        </h3>
        <button type="button" class="icon" aria-label={t('nextMonth')} disabled={!canGoForward} onClick={() => props.onMonth(addMonths(month, 1))}>
          ›
        </button>
      </div>
      <table role="grid" aria-labelledby={labelId} ref={grid} onKeyDown={onKeyDown} aria-busy={slots.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            {shortNames.map((name, i) => (
              <th scope="col" key={name}>
                <abbr title={longNames[i]}>{name}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((date) => {
                if (monthOf(date) !== month) return <td key={date} role="gridcell" class="outside" />;
                const open = available(date);
                const isSelected = date === props.selected;
                return (
                  <td
                    key={date}
                    role="gridcell"
                    data-date={date}
                    tabIndex={date === focus ? 0 : -1}
                    aria-selected={isSelected ? 'true' : 'false'}
                    aria-disabled={open ? undefined : 'true'}
                    aria-current={date === props.today ? 'date' : undefined}
                    aria-label={`${formatDate(date, locale)}, ${open ? t('dayAvailable') : t('dayUnavailable')}`}
                    class={[open ? 'open' : 'closed', isSelected ? 'selected' : '', date === props.today ? 'today' : ''].join(' ')}
                    onClick={() => {
                      moved.current = true;
                      interacted.current = true;
                      setFocus(date);
                      if (open) props.onSelect(date);
                    }}
                  >
                    <span aria-hidden="true">{Number(date.slice(8))}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {slots.loading ? (
        <p class="muted" role="status">
          {t('loading')}
        </p>
      ) : slots.error ? (
        <p role="alert" class="error">
          {slots.error.status === 0 ? t('networkError') : t('genericError', { message: slots.error.message })}
        </p>
      ) : slots.byDate.size === 0 ? (
        <p class="muted" role="status">
          {t('noTimesThisMonth')}
        </p>
      ) : null}
    </div>
  );
}

function firstAvailable(slots: MonthSlots, month: string): LocalDate | undefined {
  return [...slots.byDate.keys()].filter((date) => monthOf(date) === month && (slots.byDate.get(date)?.length ?? 0) > 0).sort()[0];
}

export function TimeList(props: { t: Translate; locale: string; timeZone: string; slots: readonly Slot[]; selected?: string | undefined; onSelect(slot: Slot): void; label: string }) {
  return (
    <ul class="times" aria-label={props.label}>
      {props.slots.map((slot) => (
        <li key={slot.start}>
          <button type="button" class="time" aria-pressed={slot.start === props.selected ? 'true' : 'false'} onClick={() => props.onSelect(slot)}>
            {formatTime(slot.start, props.locale, props.timeZone)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** "Times are shown in Europe/Berlin (MEZ)." and, behind "Change", every zone the browser knows. */
export function ZoneNote(props: { t: Translate; locale: string; timeZone: string; onChange(zone: string): void }) {
  const [open, setOpen] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  const zones = useMemo(() => (open ? allZones(props.timeZone) : []), [open, props.timeZone]);
  useEffect(() => {
    if (open) select.current?.focus();
  }, [open]);
  return (
    <div class="zone">
      <p>
        {props.t('timesIn', { zone: zoneLabel(props.timeZone, props.locale, Date.now()) })}{' '}
        {!open && (
          <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
            {props.t('changeZone')}
          </button>
        )}
      </p>
      {open && (
        <label class="field">
          <span>{props.t('timeZone')}</span>
          <select
            value={props.timeZone}
            ref={select}
            onChange={(event) => {
              props.onChange(event.currentTarget.value);
              setOpen(false);
            }}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/** The day's heading for the time list, e.g. "Dienstag, 24. November 2026". */
export const dayTitle = (date: LocalDate, locale: string) => formatDate(date, locale);
