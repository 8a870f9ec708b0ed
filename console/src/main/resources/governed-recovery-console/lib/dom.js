// Building the page without HTML strings: every text goes in as a text node, so nothing the server or a user
// typed can become markup. The console never parses HTML from strings.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'tabIndex']);

/**
 * An element: h('button', {class: 'x', on: {click: fn}}, 'text', child...). Attributes are set as attributes
 * (never event handlers from strings); null and false leave them out; children are nodes or texts.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        element.addEventListener(event, handler);
      }
    } else if (PROPERTIES.has(name)) {
      element[name] = value;
    } else if (name.startsWith('on')) {
      throw new Error('event handlers go in "on"');
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces the content of {@code element} with {@code children}. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

let ids = 0;
/** A fresh element id (labels, descriptions). */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A date and time in the page's language. */
export function when(millis, locale) {
  if (millis === null || millis === undefined || millis === 0) {
    return '—';
  }
  return new Intl.DateTimeFormat(locale, {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(millis));
}
