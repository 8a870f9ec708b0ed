// Form fields with their label, hint and error next to them (aria-describedby, aria-invalid), so a screen reader
// reads the error with the field and a sighted person sees it where the mistake is.
import {h, uid} from './dom.js';

/**
 * A labelled field: {name, label, hint, input} where input is an input, select or textarea element. Returns the
 * wrapper, with .input and .error.
 */
export function field({name, label, hint, input}) {
  const id = uid(`f-${name}`);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  input.id = id;
  input.name = name;
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = h('p', {class: 'gr-field-error', id: errorId, 'data-error-for': name});
  const wrapper = h('div', {class: 'gr-field'}, h('label', {for: id}, label), input,
    hint ? h('p', {class: 'gr-hint', id: hintId}, hint) : null, error);
  wrapper.input = input;
  wrapper.error = error;
  return wrapper;
}

/** A form's fields by name, with their errors shown and cleared together. */
export class Fields {
  constructor(fields) {
    this.fields = fields;
  }

  value(name) {
    const input = this.fields[name].input;
    return input.type === 'checkbox' ? input.checked : input.value.trim();
  }

  clear() {
    for (const f of Object.values(this.fields)) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
  }

  /** Shows {name: message} next to each field and moves the focus to the first; true when there was any. */
  show(errors) {
    this.clear();
    let first = null;
    for (const [name, message] of Object.entries(errors)) {
      const f = this.fields[name];
      if (!f) {
        continue;
      }
      f.error.textContent = message;
      f.input.setAttribute('aria-invalid', 'true');
      first = first || f.input;
    }
    if (first) {
      first.focus();
    }
    return first !== null;
  }
}

/** An alert block (info, success, warning, danger) with a heading and text lines. */
export function alert(kind, title, ...lines) {
  return h('div', {class: `gr-alert gr-${kind}`, role: kind === 'danger' || kind === 'warning' ? 'alert' : 'status'},
    h('p', {}, h('strong', {}, title)), ...lines.filter(Boolean).map(line => h('p', {}, line)));
}
