import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { formatMoney, type Money } from './lib/money';
import { ApiError } from './lib/problem';

/**
 * Loads `path` (skipped while undefined) and tracks its loading and error states. Only the latest
 * load's answer is kept: on a busy shop the listing of the region or search a shopper just left
 * can answer after the one they moved to, and must not replace it.
 */
export function useApi<T>(path: string | undefined) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: path !== undefined,
  });
  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    if (path === undefined) return;
    setState((previous) => ({ data: previous.data, loading: true }));
    try {
      const data = await api<T>(path);
      if (request === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (request === latest.current) setState({ error, loading: false });
    }
  }, [path]);
  useEffect(() => {
    void load();
  }, [load]);
  return { ...state, reload: load };
}

/** Whether the window matches a CSS media query, following it as the window changes. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const follow = () => setMatches(list.matches);
    follow();
    list.addEventListener('change', follow);
    return () => list.removeEventListener('change', follow);
  }, [query]);
  return matches;
}

/** The browser tab's title for a page: "Oak Desk Lamp · Bazaar". */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Bazaar` : 'Bazaar';
  }, [title]);
}

export function Price({ money }: { money: Money }) {
  return <span className="price">{formatMoney(money)}</span>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" aria-live="polite">
      {what}…
    </p>
  );
}

/** What went wrong, in the API's words. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const message =
    error instanceof ApiError || error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <p className="problem" role="alert">
      {message}
    </p>
  );
}

/** A labelled input whose error, if any, is announced with it. */
export function Field({
  label,
  name,
  error,
  ...input
}: {
  label: string;
  name: string;
  error?: string | undefined;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A labelled choice among `options` (value, label), with its error like `Field`. */
export function SelectField({
  label,
  name,
  error,
  options,
  ...select
}: {
  label: string;
  name: string;
  error?: string | undefined;
  options: ReadonlyArray<readonly [string, string]>;
} & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...select}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** Runs an action with a busy flag and its error, for buttons and forms. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}
