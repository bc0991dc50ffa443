import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { navigate } from './router.ts';
import type { StaffTranslate } from './staff-i18n.ts';

/** Small pieces every staff screen uses: links, loading, errors with the API's field issues, dialogs. */

/** An in-app link: a real <a href> (open in a new tab works), navigated with the History API on a plain click. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

export const asApiError = (error: unknown) => (error instanceof ApiError ? error : new ApiError(0, 'network', String(error)));

export interface Loaded<T> {
  data?: T | undefined;
  error?: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Loads when the key changes; `reload` fetches again (after a change). Answers of a superseded load are dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [serial, setSerial] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error: asApiError(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, serial]);
  const reload = useCallback(() => setSerial((n) => n + 1), []);
  return { ...state, reload };
}

export interface Issue {
  field: string;
  message: string;
}

/** The field issues of a 400 (`details.issues`, else `details.field` with the message). */
export function issuesOf(error: ApiError | undefined): Issue[] {
  if (!error) return [];
  const issues = error.details?.issues;
  if (Array.isArray(issues)) {
    return issues.flatMap((i: unknown) => {
      const issue = i as { field?: unknown; message?: unknown };
      return typeof issue.field === 'string' && typeof issue.message === 'string' ? [{ field: issue.field, message: issue.message }] : [];
    });
  }
  const field = error.details?.field;
  return typeof field === 'string' ? [{ field, message: error.message }] : [];
}

/** An API error as a sentence, with the fields it names listed. */
/** What stops a form: a check that failed before sending (said at once), then the API's refusal with its fields. */
export function FormProblems(props: { t: StaffTranslate; problem: string | undefined; error: ApiError | undefined }) {
  return (
    <>
      {props.problem && (
        <p role="alert" class="error">
          {props.problem}
        </p>
      )}
      <ErrorBox t={props.t} error={props.error} />
    </>
  );
}

export function ErrorBox(props: { t: StaffTranslate; error: ApiError | undefined; onRetry?: (() => void) | undefined }) {
  const { t, error } = props;
  if (!error) return null;
  const issues = issuesOf(error);
  return (
    <div role="alert" class="error">
      <p>{error.status === 0 ? t('networkError') : t('apiError', { message: error.message, code: error.code })}</p>
      {issues.length > 1 && (
        <ul class="issues">
          {issues.map((issue) => (
            <li key={issue.field + issue.message}>
              <code>{issue.field}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading(props: { t: StaffTranslate }) {
  return (
    <p role="status" class="muted">
      {props.t('loading')}
    </p>
  );
}

/** The issue for one field (`body.name`), shown under it and linked with aria-describedby. */
export const issueFor = (error: ApiError | undefined, field: string) => issuesOf(error).find((i) => i.field === field || i.field.startsWith(`${field}.`))?.message;

let fieldSerial = 0;
/** A stable id for a control, unique in the page. */
export const useId = (prefix: string) => {
  const ref = useRef<string | undefined>(undefined);
  if (!ref.current) ref.current = `${prefix}-${++fieldSerial}`;
  return ref.current;
};

/** A labelled control with an optional hint and error, wired for screen readers. */
export function Field(props: { label: string; hint?: string | undefined; error?: string | undefined; children: (id: string, describedBy: string | undefined) => JSX.Element; class?: string }) {
  const id = useId('f');
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.children(id, describedBy)}
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * A modal dialog on the native <dialog> (focus kept inside, Escape closes, the rest of the page
 * inert), its heading as the accessible name; focus goes back to what opened it.
 */
export function Dialog(props: { title: string; onClose(): void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId('dlg');
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={id}
      class="dialog"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** A polite status line (saved, moved, copied) that screen readers announce. */
export function Status(props: { message?: string | undefined }) {
  return (
    <p role="status" class={props.message ? 'success' : 'visually-hidden'}>
      {props.message ?? ''}
    </p>
  );
}

let firstScreenShown = false;

/** Sets the document title and the heading focus when a screen opens (keyboard and screen-reader users start at its heading). */
export function ScreenHeading(props: { title: string; business?: string | undefined; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // A screen is a path: the day view's title changes with the date, and ‹ › must keep their focus.
  const screen = location.pathname;
  useLayoutEffect(() => {
    document.title = props.business ? `${props.title} · ${props.business}` : props.title;
  }, [props.title, props.business]);
  // A layout effect: the heading has the focus before the screen is painted, so a key pressed as
  // soon as the screen shows (a fast keyboard user, the e2e test) is not taken away from where it
  // went by a focus that lands a frame later.
  useLayoutEffect(() => {
    // Not on the page's first screen (the browser starts at the top anyway); after that, every
    // new screen, so a keyboard or screen-reader user is not left on the link they followed.
    if (!firstScreenShown) {
      firstScreenShown = true;
      return;
    }
    // A link to a part of the screen (#data) goes there instead; that part takes the focus.
    if (location.hash) return;
    ref.current?.focus();
  }, [screen]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {props.children ?? props.title}
    </h1>
  );
}

/** Saves a JSON value as a file download (the export), with no round trip through a server URL. */
export function downloadJson(name: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The URL of a screen with some query parameters changed (undefined removes one). */
export function withParams(place: { path: string; search: string }, changes: Record<string, string | undefined>, path = place.path): string {
  const params = new URLSearchParams(place.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** A YYYY-MM-DD from the URL, or undefined. */
export const dateParam = (value: string | null | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);

/** A wide table that scrolls sideways on a phone; focusable and named, so the keyboard can scroll it too. */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

/**
 * An admin list: a scrollable, labelled table whose caption is its label, a header per column and
 * a last column of row actions (named for screen readers only); `children` are the body's rows.
 */
export function AdminTable(props: { label: string; columns: readonly string[]; actionsLabel: string; children: ComponentChildren }) {
  return (
    <TableWrap label={props.label}>
      <table class="data">
        <caption class="visually-hidden">{props.label}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
            <th scope="col">
              <span class="visually-hidden">{props.actionsLabel}</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </TableWrap>
  );
}
