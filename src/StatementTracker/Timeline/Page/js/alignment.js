// The alignment of a topic: a matrix of every pair of countries with a position, and the groups of
// countries that share a family and targets. A pair whose stances are directed at different targets is
// not comparable ("support" for China and "support" for Taiwan are not agreement).
import { el, uniqueId } from './dom.js';

// Past this many countries a matrix is unreadable; the groups still show every country.
const MAX_MATRIX = 40;

function verdict(pair) {
  if (!pair) return { text: '', className: '' };
  if (!pair.comparable) return { text: 'not comparable', className: 'not-comparable' };
  if (pair.sameStance) return { text: '= same stance', className: 'same-stance' };
  if (pair.sameFamily) return { text: '≈ same family', className: 'same-family' };
  return { text: '≠ differ', className: 'different' };
}

function matrix(alignment) {
  const codes = alignment.countries.map(c => c.country);
  const pairs = new Map();
  for (const pair of alignment.pairs) {
    pairs.set(`${pair.a}|${pair.b}`, pair);
    pairs.set(`${pair.b}|${pair.a}`, pair);
  }
  return el('table', { class: 'matrix' },
    el('caption', { class: 'hint' }, 'Each pair of countries: the same stance, the same family, different families, or not comparable (their stances are directed at different targets).'),
    el('thead', {}, el('tr', {}, el('td', {}), codes.map(code => el('th', { scope: 'col' }, code)))),
    el('tbody', {}, alignment.countries.map(row => el('tr', {},
      el('th', { scope: 'row' }, `${row.countryName ?? row.country} (${row.country}): ${row.stance}`),
      codes.map(code => {
        if (code === row.country) return el('td', { 'aria-label': 'same country' }, '—');
        const { text, className } = verdict(pairs.get(`${row.country}|${code}`));
        return el('td', { class: className, 'data-pair': `${row.country}-${code}` }, text);
      })))));
}

function groups(alignment) {
  const names = new Map(alignment.countries.map(c => [c.country, c.countryName ?? c.country]));
  return el('ul', { class: 'groups' }, alignment.groups.map(g => el('li', {},
    `${g.family}${g.targets.length ? `, towards ${g.targets.join(', ')}` : ', no targets'}: `,
    g.countries.map(code => `${names.get(code)} (${code})`).join(', '))));
}

export function alignmentSection(alignment) {
  const headingId = uniqueId('alignment');
  const section = el('section', { class: 'alignment', 'aria-labelledby': headingId },
    el('h3', { id: headingId }, 'Alignment'));
  if (alignment.countries.length < 2) {
    section.append(el('p', {}, 'Fewer than two countries hold a position on this topic in this view: nothing to compare.'));
  } else if (alignment.countries.length > MAX_MATRIX) {
    section.append(el('p', { class: 'hint' }, `${alignment.countries.length} countries: too many for a matrix; the groups follow.`));
  } else {
    section.append(matrix(alignment));
  }
  if (alignment.groups.length) section.append(el('h4', {}, 'Groups (same family, same targets)'), groups(alignment));
  return section;
}
