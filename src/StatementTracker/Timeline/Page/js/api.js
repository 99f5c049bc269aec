// Calls to the service's JSON API. The page is served anonymously, but reads may need the reader role:
// a 401 or 403 raises AccessNeeded, and the page then asks for an API key, kept in this tab's session
// storage only and sent as X-Api-Key.

const KEY_STORAGE = 'statementtracker.apiKey';

/** The API refused the call for want of (the right) credentials. */
export class AccessNeeded extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Any other refusal; the message is the problem's detail when the service sent one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export function hasApiKey() {
  return sessionStorage.getItem(KEY_STORAGE) !== null;
}

/** Encodes one path segment (a country name such as "Côte d'Ivoire", a topic slug, an id). */
export const segment = encodeURIComponent;

/**
 * GET a path relative to the page (so a path prefix in front of the service keeps working), with
 * query parameters; empty parameters are left out. Answers the parsed JSON.
 */
export async function getJson(path, parameters = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers['X-Api-Key'] = key;

  const response = await fetch(url, { headers });
  if (response.ok) return response.json();

  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch {
    // Not a problem body: keep the status line.
  }
  if (response.status === 401 || response.status === 403) throw new AccessNeeded(response.status, detail);
  throw new ApiError(response.status, detail);
}

/** Runs task(item) for every item with at most `limit` running at once, keeping the order of the results. */
export async function mapLimited(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
