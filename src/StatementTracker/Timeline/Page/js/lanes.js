// Drawing the country view's lanes: a shared time axis, and for each topic one SVG strip of marks on
// that same scale. Drawing only: the data comes loaded (country-view.js) and clicks are handled there.
import { svg } from './dom.js';
import { DAY, ticks } from './dates.js';
import { familyOf, familyShape } from './families.js';

const R = 8;              // a mark's radius
const ROW = 2 * R + 8;    // height of one row of marks
const MAX_ROWS = 4;       // marks on the same day stack in rows, up to this many; then they overlap
const PAD_Y = 10;
const AXIS_HEIGHT = 24;

/** The axis above the lanes: tick labels for the scale, `width` pixels wide. */
export function drawAxis(scale, width) {
  const root = svg('svg', { width, height: AXIS_HEIGHT, viewBox: `0 0 ${width} ${AXIS_HEIGHT}`, 'aria-hidden': 'true', focusable: 'false' });
  for (const tick of ticks(scale.domain, Math.max(2, Math.floor(width / 90)))) {
    const x = scale(tick.at);
    // A label centred this near an edge would be cut off (or spill into the label column).
    if (x < 36 || x > width - 36) continue;
    root.append(svg('g', { class: 'tick', transform: `translate(${x},0)` },
      svg('line', { y1: AXIS_HEIGHT - 6, y2: AXIS_HEIGHT }),
      svg('text', { y: AXIS_HEIGHT - 9, 'text-anchor': 'middle' }, tick.label)));
  }
  return root;
}

/**
 * Places marks left to right in the first row where they do not touch the previous mark, so two
 * statements on one day stay apart and each can be clicked.
 */
function placeInRows(xs) {
  const rowEnds = [];
  return xs.map(x => {
    let row = rowEnds.findIndex(end => end + 2 * R + 2 <= x);
    if (row === -1 && rowEnds.length < MAX_ROWS) row = rowEnds.push(-Infinity) - 1;
    if (row === -1) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = x;
    return row;
  });
}

/**
 * One topic's strip. `marks` are { entry, date, label, shift } oldest first, where `label` is the mark's
 * accessible name and `shift` the shift this entry made, if any. `strayShifts` are shifts whose entry
 * is older than what was loaded: drawn as bare rings. Each mark is a focusable button (tabindex=0,
 * role="button") carrying its statement id, so the caller can open the card on click, Enter or Space.
 */
export function drawLane({ name, marks, strayShifts, scale, width }) {
  const rows = placeInRows(marks.map(m => scale(m.date.first)));
  const rowCount = Math.max(1, ...rows.map(r => r + 1));
  const height = PAD_Y * 2 + rowCount * ROW;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': name });

  for (const tick of ticks(scale.domain, Math.max(2, Math.floor(width / 90)))) {
    const x = scale(tick.at);
    root.append(svg('line', { class: 'gridline', x1: x, x2: x, y1: 0, y2: height, 'aria-hidden': 'true' }));
  }

  for (const shift of strayShifts) {
    root.append(svg('circle', { class: 'shift-ring', cx: scale(shift.date.first), cy: PAD_Y + ROW / 2, r: R + 4 },
      svg('title', {}, `${shift.from.stance} → ${shift.to.stance} (${shift.statedOn}; that statement is older than those shown)`)));
  }

  marks.forEach((mark, index) => {
    const x = scale(mark.date.first);
    const y = PAD_Y + rows[index] * ROW + ROW / 2;
    const family = familyOf(mark.entry.family);
    if (mark.date.precision !== 'day') {
      // A partial date: the mark sits on its first day, the bar shows every day it may mean.
      root.append(svg('line', { class: `span family-${family}`, x1: x, x2: scale(mark.date.last + DAY), y1: y, y2: y, 'aria-hidden': 'true' }));
    }
    const group = svg('g', {
      class: 'mark',
      role: 'button',
      tabindex: '0',
      'aria-label': mark.label,
      'aria-haspopup': 'dialog',
      'data-statement-id': mark.entry.statementId,
      'data-family': family,
      transform: `translate(${x},${y})`,
    },
    svg('title', {}, `${mark.entry.statedOn}: ${mark.entry.stance} (${family}). ${mark.entry.position}`),
    svg('circle', { class: 'focus-ring', r: R + 7 }),
    familyShape(family, R));
    if (mark.shift) {
      group.append(svg('circle', { class: 'shift-ring', r: R + 4 },
        svg('title', {}, `${mark.shift.from.stance} → ${mark.shift.to.stance}`)));
    }
    root.append(group);
  });
  return root;
}
