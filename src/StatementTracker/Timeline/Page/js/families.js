// Stance families: each has a colour AND a shape of its own (and its name in every label), so the
// timeline reads without colour too.
import { el, svg } from './dom.js';

export const FAMILIES = ['favourable', 'critical', 'guarded', 'none'];

const DESCRIPTIONS = {
  favourable: 'favourable (support, welcome, commit): triangle',
  critical: 'critical (oppose, condemn, reject, warn, demand): square',
  guarded: 'guarded (concern, urge, monitor): diamond',
  none: 'no position (no comment, unclassified): hollow circle',
};

export function familyOf(family) {
  return FAMILIES.includes(family) ? family : 'none';
}

/** The family's shape centred on (0, 0) with radius r, classed for its colour. */
export function familyShape(family, r) {
  const f = familyOf(family);
  const attributes = { class: `shape family-${f}` };
  switch (f) {
    case 'favourable':
      return svg('polygon', { ...attributes, points: `0,${-r} ${r * 0.95},${r * 0.75} ${-r * 0.95},${r * 0.75}` });
    case 'critical':
      return svg('rect', { ...attributes, x: -r * 0.8, y: -r * 0.8, width: r * 1.6, height: r * 1.6 });
    case 'guarded':
      return svg('polygon', { ...attributes, points: `0,${-r} ${r},0 0,${r} ${-r},0` });
    default:
      return svg('circle', { ...attributes, r: r * 0.8 });
  }
}

/** A small inline icon of the family's shape, hidden from screen readers (the text beside it names the family). */
export function familyIcon(family) {
  return svg('svg', { class: 'icon', viewBox: '-9 -9 18 18', 'aria-hidden': 'true', focusable: 'false' }, familyShape(family, 7));
}

/** The legend: every family's shape and colour, the shift ring and the span of a partial date. */
export function legend() {
  const items = FAMILIES.map(f => el('li', {}, familyIcon(f), DESCRIPTIONS[f]));
  items.push(el('li', {},
    svg('svg', { class: 'icon', viewBox: '-9 -9 18 18', 'aria-hidden': 'true', focusable: 'false' },
      svg('circle', { class: 'shift-ring', r: 7 })),
    'dashed ring: a shift (the stance changed)'));
  items.push(el('li', {},
    svg('svg', { class: 'icon', viewBox: '-9 -9 18 18', 'aria-hidden': 'true', focusable: 'false' },
      svg('line', { class: 'span family-none', x1: -8, y1: 0, x2: 8, y2: 0 })),
    'bar: a date known only to the month or year (mark at its first day)'));
  return el('ul', { class: 'legend', 'aria-label': 'Legend' }, items);
}
