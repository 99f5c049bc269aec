// Partial dates ("2024", "2024-07", "2024-07-04") and the time scale. All arithmetic is in UTC
// milliseconds, so a date is the same day wherever the browser is.

export const DAY = 24 * 60 * 60 * 1000;

/**
 * A stated date as the service gives it: { text, precision, first, last } where first and last are the
 * first and last day it may mean (UTC midnight). A partial date is placed at its first day; its span is
 * drawn too. Null when the text is not such a date.
 */
export function parsePartialDate(text) {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text ?? '');
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : null;
  const day = match[3] ? Number(match[3]) : null;
  const first = Date.UTC(year, (month ?? 1) - 1, day ?? 1);
  const last = day !== null ? first
    : month !== null ? Date.UTC(year, month, 0) // day 0 of the next month: the last of this one
      : Date.UTC(year, 11, 31);
  return { text, precision: day !== null ? 'day' : month !== null ? 'month' : 'year', first, last };
}

/** Words for what a partial date spans, or '' for a full date. */
export function spanWords(date) {
  if (date.precision === 'month') return 'some day that month';
  if (date.precision === 'year') return 'some day that year';
  return '';
}

/**
 * The domain [start, end] covering every date, padded so marks are not drawn on the edges; a single day
 * still gets a month around it.
 */
export function domainOf(dates) {
  if (dates.length === 0) {
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    return [today - 30 * DAY, today + DAY];
  }
  const start = Math.min(...dates.map(d => d.first));
  const end = Math.max(...dates.map(d => d.last + DAY));
  const pad = Math.max((end - start) * 0.04, 15 * DAY);
  return [start - pad, end + pad];
}

/** A linear scale from the domain [start, end] (ms) to [x0, x1] (pixels). */
export function timeScale([start, end], [x0, x1]) {
  const perMs = (x1 - x0) / (end - start);
  const scale = ms => x0 + (ms - start) * perMs;
  scale.domain = [start, end];
  return scale;
}

const STEPS = [
  { unit: 'day', days: 1, every: 1 },
  { unit: 'day', days: 7, every: 7 },
  { unit: 'month', days: 30, every: 1 },
  { unit: 'month', days: 91, every: 3 },
  { unit: 'month', days: 182, every: 6 },
  { unit: 'year', days: 365, every: 1 },
  { unit: 'year', days: 365 * 2, every: 2 },
  { unit: 'year', days: 365 * 5, every: 5 },
  { unit: 'year', days: 365 * 10, every: 10 },
  { unit: 'year', days: 365 * 25, every: 25 },
  { unit: 'year', days: 365 * 50, every: 50 },
];

/** Tick dates (ms) on calendar boundaries, at most about maxTicks of them, with labels. */
export function ticks([start, end], maxTicks) {
  const spanDays = (end - start) / DAY;
  const step = STEPS.find(s => spanDays / s.days <= maxTicks) ?? STEPS[STEPS.length - 1];
  const result = [];
  const from = new Date(start);
  let cursor;
  if (step.unit === 'day') {
    cursor = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  } else if (step.unit === 'month') {
    const month = Math.ceil(from.getUTCMonth() / step.every) * step.every;
    cursor = Date.UTC(from.getUTCFullYear(), month, 1);
  } else {
    cursor = Date.UTC(Math.ceil(from.getUTCFullYear() / step.every) * step.every, 0, 1);
  }
  for (let guard = 0; cursor <= end && guard < 1000; guard += 1) {
    if (cursor >= start) result.push({ at: cursor, label: tickLabel(cursor, step.unit) });
    const d = new Date(cursor);
    cursor = step.unit === 'day' ? cursor + step.every * DAY
      : step.unit === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.every, 1)
        : Date.UTC(d.getUTCFullYear() + step.every, 0, 1);
  }
  return result;
}

function tickLabel(ms, unit) {
  const iso = new Date(ms).toISOString();
  return unit === 'day' ? iso.slice(0, 10) : unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
}
