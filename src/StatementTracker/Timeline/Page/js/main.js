// The page's entry point: routes the URL hash to a view, fills the pickers, asks for an API key when
// the API wants one, and opens statement cards from marks and buttons.
//
// Deep links: #/country/JPN, #/topic/china-russia-relations, each optionally with ?asOf=YYYY-MM-DD.
import { AccessNeeded, getJson, setApiKey } from './api.js';
import { el } from './dom.js';
import { legend } from './families.js';
import { openCard, setUpCard } from './card.js';
import { showCountry } from './country-view.js';
import { showTopic } from './topic-view.js';

const $ = id => document.getElementById(id);
const VIEWS = ['country', 'topic'];

const countryNames = new Map(); // code → English name, from GET /countries
const lastKey = { country: '', topic: '' }; // what each view showed last, restored when switching back
let loads = 0; // each render takes a number; a load that finishes after a newer render started draws nothing
let redraw = null;

const nameOf = code => countryNames.get(code) ?? null;

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(part => {
    try { return decodeURIComponent(part); } catch { return part; }
  });
  const view = VIEWS.includes(parts[0]) ? parts[0] : 'country';
  return { view, key: parts[1] ?? '', asOf: new URLSearchParams(query).get('asOf') ?? '' };
}

function hashOf(view, key, asOf) {
  return `#/${view}${key ? `/${encodeURIComponent(key)}` : ''}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;
}

function say(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function askForKey(error) {
  $('key-reason').textContent = error.status === 403
    ? `This API key may not read positions: ${error.message}`
    : 'This service needs an API key with the reader role to read positions.';
  $('key-form').hidden = false;
  $('api-key').focus();
  say('An API key is needed.', true);
}

function failed(error, result) {
  if (error instanceof AccessNeeded) {
    askForKey(error);
    return;
  }
  result?.replaceChildren();
  say(error.message || String(error), true);
}

async function loadPickers() {
  const [countries, topics] = await Promise.all([getJson('countries'), getJson('topics')]);
  countryNames.clear();
  for (const c of countries) countryNames.set(c.code, c.name);
  $('country-list').replaceChildren(...countries.map(c =>
    el('option', { value: c.name ?? c.code }, `${c.code}: ${c.topics} topics, ${c.entries} statements`)));
  $('topic-list').replaceChildren(...topics.map(t =>
    el('option', { value: t.topic }, `${t.countries} countries, ${t.entries} statements`)));
  const shown = parseHash();
  if (shown.view === 'country' && shown.key) $('country-input').value = nameOf(shown.key) ?? shown.key;
}

/** A typed country as a code when the picker knows it by name or code; otherwise as typed (the service normalises names). */
function countryKey(typed) {
  const text = typed.trim();
  for (const [code, name] of countryNames) {
    if (code.toLowerCase() === text.toLowerCase() || (name && name.toLowerCase() === text.toLowerCase())) return code;
  }
  return text;
}

/** Shows one view, and points each view's link at what that view showed last (with the same asOf). */
function showView(view, asOf) {
  for (const v of VIEWS) {
    $(`${v}-view`).hidden = v !== view;
    const link = $(`nav-${v}`);
    link.href = hashOf(v, lastKey[v], asOf);
    if (v === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function render() {
  // Every render makes the loads before it stale: one that finishes later (say, after the reader
  // switched views) draws nothing and does not switch the view back.
  loads += 1;
  const load = loads;
  const isCurrent = () => load === loads;
  const { view, key, asOf } = parseHash();
  showView(view, asOf);
  $(`${view}-as-of`).value = asOf;
  const result = $(`${view}-result`);
  redraw = null;

  if (!key) {
    if (lastKey[view]) {
      location.replace(hashOf(view, lastKey[view], asOf));
      return;
    }
    result.replaceChildren();
    say(view === 'country' ? 'Pick a country.' : 'Pick a topic.');
    return;
  }
  $(`${view}-input`).value = view === 'country' ? nameOf(key) ?? key : key;

  say(`Loading ${key}${asOf ? ` as of ${asOf}` : ''}…`);
  try {
    if (view === 'country') {
      const shown = await showCountry(result, key, asOf, isCurrent);
      if (!shown || !isCurrent()) return;
      redraw = shown.redraw;
      lastKey.country = shown.code;
      // One address per country: "Japan" or "JP" becomes #/country/JPN (without a new history entry or reload).
      if (shown.code !== key) history.replaceState(null, '', hashOf('country', shown.code, asOf));
      showView(view, asOf);
      document.title = `${shown.countryName}: StatementTracker`;
      say(`${shown.countryName}: ${shown.statements} statements shown${asOf ? ` as of ${asOf}` : ''}.`);
    } else {
      const shown = await showTopic(result, key, asOf, isCurrent);
      if (!shown || !isCurrent()) return;
      lastKey.topic = key;
      showView(view, asOf);
      document.title = `${key}: StatementTracker`;
      say(`${key}: ${shown.countries} countries${asOf ? ` as of ${asOf}` : ''}.`);
    }
  } catch (error) {
    if (isCurrent()) failed(error, result);
  }
}

/** Goes to a view; when the hash does not change (the same view asked again), reloads it anyway. */
function go(view, key, asOf) {
  const hash = hashOf(view, key, asOf);
  if (location.hash === hash) render();
  else location.hash = hash;
}

function wireForms() {
  $('country-form').addEventListener('submit', event => {
    event.preventDefault();
    go('country', countryKey($('country-input').value), $('country-as-of').value);
  });
  $('topic-form').addEventListener('submit', event => {
    event.preventDefault();
    go('topic', $('topic-input').value.trim(), $('topic-as-of').value);
  });
  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    setApiKey($('api-key').value.trim());
    $('api-key').value = '';
    $('key-form').hidden = true;
    loadPickers().catch(error => failed(error));
    render();
  });
}

/** Marks open their card on click, Enter or Space; so do the topic view's statement buttons. */
function wireCards() {
  const open = target => openCard(target.getAttribute('data-statement-id'), target, target.getAttribute('data-family'), nameOf);
  $('country-result').addEventListener('click', event => {
    const mark = event.target.closest?.('.mark');
    if (mark) open(mark);
  });
  // As a native button: Enter acts on keydown, Space on keyup. Opening on Space's keydown would move focus
  // to the card's Close button before the keyup, which would then "click" it and close the card at once.
  $('country-result').addEventListener('keydown', event => {
    const mark = event.target.closest?.('.mark');
    if (!mark) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      open(mark);
    } else if (event.key === ' ') {
      event.preventDefault(); // Space would scroll the page
    }
  });
  $('country-result').addEventListener('keyup', event => {
    const mark = event.target.closest?.('.mark');
    if (mark && event.key === ' ') open(mark);
  });
  $('topic-result').addEventListener('click', event => {
    const button = event.target.closest?.('button.details');
    if (button) open(button);
  });
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => redraw?.(), 150);
});

setUpCard();
$('country-legend').append(legend());
wireForms();
wireCards();
window.addEventListener('hashchange', render);
loadPickers().catch(error => failed(error));
render();
