// Temporary access passes as the helpdesk handles them: showing a new pass once, with its copy button and warning.
import {h, when} from '../lib/dom.js';

/** The pass, once: the secret in large type, a copy button and what to tell the person. */
export function passShownOnce(t, answer, username, language) {
  const status = h('span', {class: 'gr-muted', role: 'status'});
  const copy = h('button', {type: 'button', class: 'pf-v5-c-button pf-m-secondary', id: 'copy-pass',
    on: {click: async () => {
      try {
        await navigator.clipboard.writeText(answer.pass);
        status.textContent = t('pass.copied');
      } catch (denied) {
        window.getSelection().selectAllChildren(secret);
        status.textContent = t('pass.copyManually');
      }
    }}}, t('pass.copy'));
  const secret = h('span', {class: 'gr-secret', id: 'issued-pass', 'aria-label': t('pass.secretLabel')}, answer.pass);
  return h('div', {class: 'gr-alert gr-warning', role: 'alert', id: 'pass-once'},
    h('p', {}, h('strong', {}, t('pass.onceTitle', username))),
    h('p', {}, secret),
    h('div', {class: 'gr-buttons'}, copy, status),
    h('p', {}, t('pass.onceWarning')),
    h('p', {}, t('pass.onceExpiry', when(answer.expiresAt, language),
      answer.oneTime ? t('pass.oneTime') : t('pass.reusable'))));
}
