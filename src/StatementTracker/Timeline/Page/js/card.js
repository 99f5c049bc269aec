// The statement card: a modal <dialog> (role dialog, focus kept inside, Escape closes) with what was
// said, by whom, where it was reported and every correction. Closing it returns focus to the mark or
// button that opened it.
import { getJson, segment } from './api.js';
import { el, externalLink } from './dom.js';
import { parsePartialDate, spanWords } from './dates.js';
import { familyIcon, familyOf } from './families.js';

const dialog = () => document.getElementById('card');
let opener = null;
let openCount = 0;

export function setUpCard() {
  const card = dialog();
  document.getElementById('card-close').addEventListener('click', () => card.close());
  // Escape fires 'cancel' then 'close' natively; every way of closing ends here.
  card.addEventListener('close', () => {
    const back = opener;
    opener = null;
    if (back?.isConnected) back.focus();
  });
  // A click on the backdrop (outside the card's box) closes it too.
  card.addEventListener('click', event => {
    const box = card.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (event.target === card && !inside) card.close();
  });
}

/** Opens the card for a statement. `family` is the stance family as the position read gave it. */
export async function openCard(statementId, openedBy, family, nameOf) {
  const card = dialog();
  const body = document.getElementById('card-body');
  const title = document.getElementById('card-title');
  openCount += 1;
  const thisOpen = openCount;
  opener = openedBy;
  title.textContent = 'Statement';
  body.replaceChildren(el('p', { role: 'status' }, 'Loading the statement…'));
  if (!card.open) card.showModal();

  try {
    const [statement, history] = await Promise.all([
      getJson(`statements/${segment(statementId)}`),
      getJson(`statements/${segment(statementId)}/history`),
    ]);
    if (thisOpen !== openCount || !card.open) return;
    title.textContent = statement.speaker.name;
    body.replaceChildren(...cardContent(statement, history, family, nameOf));
  } catch (error) {
    if (thisOpen !== openCount) return;
    body.replaceChildren(el('p', { class: 'error', role: 'alert' }, `The statement could not be loaded: ${error.message}`));
  }
}

function row(term, ...description) {
  return [el('dt', {}, term), el('dd', {}, ...description)];
}

function cardContent(statement, history, family, nameOf) {
  const stated = parsePartialDate(statement.statedOn);
  const f = familyOf(family);
  const details = el('dl', {},
    row('Country', `${nameOf(statement.country) ?? statement.country} (${statement.country})`),
    row('Topics', statement.topics.join(', ')),
    row('Position', statement.position),
    row('Stance', el('span', { class: 'stance-line' }, familyIcon(f),
      `${statement.stance} (${f})${statement.stanceInferred ? ', inferred from the position' : ''}`)),
    row('Stated', statement.statedOn, stated && stated.precision !== 'day' ? ` (${spanWords(stated)})` : ''),
    row('Targets', statement.targets.length ? statement.targets.map(t => nameOf(t) ?? t).join(', ') : 'none named'),
    statement.occasion ? row('Occasion', statement.occasion) : null,
    row('Status', statement.status === 'retracted' && statement.retraction
      ? `retracted: ${statement.retraction.reason} (${statement.retraction.by}, ${instant(statement.retraction.at)})`
      : statement.status),
    row('Recorded', `${instant(statement.recordedAt)} by ${statement.recordedBy}; version ${statement.version}`),
  );

  const quote = statement.quote
    ? el('blockquote', { class: 'quote' }, statement.quote)
    : el('p', { class: 'hint' }, 'No quote recorded for this statement.');

  const sources = statement.sources.length
    ? el('ul', { class: 'sources' }, statement.sources.map(source => {
      const name = source.publisher ?? source.url ?? 'unnamed source';
      return el('li', {}, source.url ? externalLink(source.url, name) : name,
        source.publishedOn ? `, published ${source.publishedOn}` : '');
    }))
    : el('p', { class: 'hint' }, 'No source recorded.');

  const events = el('ol', { class: 'history' }, history.events.map(e => el('li', {},
    el('span', {}, `${e.type.replaceAll('_', ' ')}, version ${e.version}, ${instant(e.timestamp)} by ${e.actorName ?? e.actor}`),
    e.reason ? el('div', {}, `Reason: ${e.reason}`) : null,
    e.changes?.length ? el('ul', { class: 'changes' }, e.changes.map(c =>
      el('li', {}, `${c.field}: ${shown(c.from)} → ${shown(c.to)}`))) : null)));

  return [
    el('p', { class: 'role' }, statement.speaker.role ?? 'Role not recorded'),
    details,
    el('h3', {}, 'Quote'), quote,
    el('h3', {}, 'Sources'), sources,
    el('h3', {}, 'Corrections and history'), events,
  ];
}

/** An instant as "2024-07-05 10:00 UTC": to the minute, in UTC, the same for every reader. */
function instant(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function shown(value) {
  if (value === null || value === undefined || value === '') return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(shown).join(', ');
  if (typeof value === 'object' && 'name' in value) return value.role ? `${value.name} (${value.role})` : value.name;
  return JSON.stringify(value);
}
