// The topic view: where each country stands on one topic, grouped by stance family, and how their
// stances align (a matrix of pairs; pairs directed at different targets are "not comparable").
import { getJson, segment } from './api.js';
import { el, uniqueId } from './dom.js';
import { FAMILIES, familyIcon } from './families.js';
import { alignmentSection } from './alignment.js';

const FAMILY_TITLES = { favourable: 'Favourable', critical: 'Critical', guarded: 'Guarded', none: 'No position' };

function countryItem(c, asOf) {
  const hash = `#/country/${encodeURIComponent(c.country)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;
  return el('li', { 'data-country': c.country },
    el('div', { class: 'who' }, el('a', { href: hash }, `${c.countryName ?? c.country} (${c.country})`)),
    el('div', { class: 'stance-line' }, `${c.stance}, ${c.statedOn}`),
    el('div', {}, `${c.speaker.name}${c.speaker.role ? `, ${c.speaker.role}` : ''}: ${c.position}`),
    c.targets.length ? el('div', { class: 'hint' }, `targets: ${c.targets.join(', ')}`) : null,
    el('button', {
      type: 'button', class: 'secondary details', 'data-statement-id': c.statementId, 'data-family': c.family,
      'aria-haspopup': 'dialog', 'aria-label': `Statement: ${c.countryName ?? c.country}, ${c.stance}, ${c.statedOn}`,
    }, 'Statement'));
}

function familyGroups(overview, asOf) {
  const countries = Object.values(overview.stances).flat();
  return el('div', { class: 'families' }, FAMILIES.map(family => {
    const members = countries.filter(c => c.family === family).sort((a, b) => a.country.localeCompare(b.country));
    const headingId = uniqueId(`family-${family}`);
    return el('section', { class: 'family-group', 'data-family': family, 'aria-labelledby': headingId },
      el('h3', { id: headingId }, familyIcon(family), `${FAMILY_TITLES[family]} (${members.length})`),
      members.length
        ? el('ul', {}, members.map(c => countryItem(c, asOf)))
        : el('p', { class: 'empty' }, 'No country.'));
  }));
}

/** Loads and shows one topic into `container`. */
export async function showTopic(container, topic, asOf, isCurrent) {
  const [overview, alignment] = await Promise.all([
    getJson(`topics/${segment(topic)}/positions`, { asOf }),
    getJson(`topics/${segment(topic)}/alignment`, { asOf }),
  ]);
  if (!isCurrent()) return null;

  const counts = FAMILIES.map(f => `${overview.families[f] ?? 0} ${f}`).join(', ');
  container.replaceChildren(
    el('h3', { class: 'result-heading' }, overview.topic, asOf ? `, as of ${asOf}` : ''),
    el('p', {}, `${overview.countryCount} ${overview.countryCount === 1 ? 'country' : 'countries'}: ${counts}.`),
    familyGroups(overview, asOf),
    alignmentSection(alignment));
  return { countries: overview.countryCount };
}
