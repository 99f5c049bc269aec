// The country view: one lane per topic the country has spoken on, along one time axis. Loads the
// country's summary, then each topic's history (newest pages first, up to a cap) and shifts.
import { getJson, mapLimited, segment, ApiError } from './api.js';
import { el } from './dom.js';
import { domainOf, parsePartialDate, timeScale } from './dates.js';
import { drawAxis, drawLane } from './lanes.js';

const PAGE = 500;
// Enough to see a long history; a lane beyond this shows its latest entries and says how many it left out.
const MAX_ENTRIES_PER_LANE = 1000;
const PARALLEL_LANES = 4;

async function loadLane(country, summary, asOf) {
  const base = `countries/${segment(country)}/positions/${segment(summary.topic)}`;
  const entries = [];
  let cursor = null;
  try {
    do {
      // Each page is oldest first; `next` leads to the older page before it.
      const page = await getJson(`${base}/history`, { limit: PAGE, cursor, asOf });
      entries.unshift(...page.items);
      cursor = page.next;
    } while (cursor && entries.length < MAX_ENTRIES_PER_LANE);
  } catch (error) {
    // 404: nothing on this topic in this view (say, asOf before its first statement).
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  let shifts = [];
  try {
    shifts = (await getJson(`${base}/shifts`, { limit: PAGE, asOf })).items;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  return { summary, entries, shifts };
}

/** What a screen reader says for a mark, e.g. "Japan, china-russia-relations, 2024-07-04: monitor (guarded)". */
function markLabel(countryName, topic, entry, shift) {
  const label = `${countryName}, ${topic}, ${entry.statedOn}: ${entry.stance} (${entry.family})`;
  return shift ? `${label}, shift from ${shift.from.stance} to ${shift.to.stance}` : label;
}

function laneModel(countryName, lane) {
  const shiftsById = new Map(lane.shifts.map(s => [s.statementId, s]));
  const marks = lane.entries
    .map(entry => ({ entry, date: parsePartialDate(entry.statedOn), shift: shiftsById.get(entry.statementId) }))
    .filter(m => m.date !== null)
    .map(m => ({ ...m, label: markLabel(countryName, lane.summary.topic, m.entry, m.shift) }));
  const shown = new Set(lane.entries.map(e => e.statementId));
  const strayShifts = lane.shifts
    .filter(s => !shown.has(s.statementId))
    .map(s => ({ ...s, date: parsePartialDate(s.statedOn) }))
    .filter(s => s.date !== null);
  return { ...lane, marks, strayShifts };
}

function laneSummary(lane) {
  const { current, historyTotal, shiftsTotal, lastShift } = lane.summary;
  const parts = [`now: ${current.stance} (${current.family}), ${current.statedOn}`,
    `${historyTotal} ${historyTotal === 1 ? 'statement' : 'statements'}`,
    `${shiftsTotal} ${shiftsTotal === 1 ? 'shift' : 'shifts'}`];
  if (lastShift) parts.push(`last shift ${lastShift.from.stance} → ${lastShift.to.stance} (${lastShift.statedOn})`);
  if (lane.entries.length < historyTotal) parts.push(`showing the latest ${lane.entries.length}`);
  return parts.join(' · ');
}

/**
 * Loads and shows `code` (a code or an English name: the service normalises it) into `container`.
 * Answers a redraw function for window resizes, and the country's code and name as the service gave them.
 */
export async function showCountry(container, code, asOf, isCurrent) {
  const positions = await getJson(`countries/${segment(code)}/positions`, { asOf });
  const countryName = positions.countryName ?? positions.country;
  const lanes = (await mapLimited(positions.topics, PARALLEL_LANES, t => loadLane(positions.country, t, asOf)))
    .map(lane => laneModel(countryName, lane));
  if (!isCurrent()) return null;

  const heading = el('h3', { class: 'result-heading' },
    `${countryName} (${positions.country})`, asOf ? `, as of ${asOf}` : '');
  if (lanes.length === 0) {
    container.replaceChildren(heading, el('p', {}, `No positions of ${countryName} in this view.`));
    return { redraw: () => {}, code: positions.country, countryName, statements: 0 };
  }

  const grid = el('div', { class: 'lanes' });
  const axisCell = el('div', { class: 'lane-plot axis' });
  grid.append(el('div', { class: 'lane-head axis-label', 'aria-hidden': 'true' }), axisCell);
  const plots = lanes.map(lane => {
    const plot = el('div', { class: 'lane-plot' });
    grid.append(el('div', { class: 'lane-head' },
      el('h3', {}, lane.summary.topic),
      el('p', {}, laneSummary(lane))), plot);
    return plot;
  });
  container.replaceChildren(heading, grid);

  const domain = domainOf(lanes.flatMap(l => [...l.marks.map(m => m.date), ...l.strayShifts.map(s => s.date)]));
  // Drawn at the plot column's real width, so text and shapes keep their size; redrawn on resize.
  const redraw = () => {
    // Keep keyboard focus on the same mark across a redraw.
    const focused = document.activeElement;
    const focusedLane = plots.findIndex(p => p.contains(focused));
    const focusedId = focusedLane >= 0 ? focused.getAttribute('data-statement-id') : null;
    const width = Math.max(240, Math.floor(axisCell.clientWidth));
    const scale = timeScale(domain, [12, width - 12]);
    axisCell.replaceChildren(drawAxis(scale, width));
    lanes.forEach((lane, i) => plots[i].replaceChildren(drawLane({
      name: `${lane.summary.topic}: statements over time`, marks: lane.marks, strayShifts: lane.strayShifts, scale, width,
    })));
    if (focusedId) plots[focusedLane].querySelector(`[data-statement-id="${CSS.escape(focusedId)}"]`)?.focus();
  };
  redraw();
  return { redraw, code: positions.country, countryName, statements: lanes.reduce((n, l) => n + l.marks.length, 0) };
}
