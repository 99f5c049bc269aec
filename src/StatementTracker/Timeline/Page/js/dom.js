// Building DOM nodes. Every piece of data goes in as a text node or an attribute value, never as markup,
// so nothing a statement says can become script or HTML on this page.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: el('p', { class: 'x' }, 'text', otherNode). */
export function el(tag, attributes, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element, with the same rules as el(). */
export function svg(tag, attributes, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** A link to an outside page, only for http(s) URLs; anything else is shown as plain text. */
export function externalLink(url, text) {
  let parsed = null;
  try { parsed = new URL(url); } catch { parsed = null; }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return document.createTextNode(text);
  return el('a', { href: parsed.href, rel: 'noopener noreferrer', target: '_blank' }, text);
}

let nextId = 0;
/** A document-unique id, for aria-labelledby. */
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
