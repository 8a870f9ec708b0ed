// Helpdesk: passes for privileged accounts waiting for a second helpdesk member, who approves them here and hands
// the pass over.
import {h, replace, when} from '../lib/dom.js';
import {alert} from '../lib/forms.js';
import {ApiError, segment} from '../lib/api.js';
import {passShownOnce} from './passes.js';

export default {
  id: 'passes',
  nav: 'nav.passes',
  allowed: access => access.views.helpdesk,
  async render(element, c) {
    const result = h('div', {id: 'queue-result'});
    const list = h('div', {id: 'queue'});
    replace(element, h('h1', {class: 'gr-title', id: 'queue-heading', tabindex: '-1'}, c.t('queue.title')),
      h('p', {}, c.t('queue.intro')), result, list);
    await load(c, list, result);
  },
};

async function load(c, list, result) {
  const answer = await c.api.governed.get('temporary-access-passes/pending');
  const lang = c.language();
  if (answer.pending.length === 0) {
    replace(list, h('section', {class: 'gr-card'}, h('p', {}, c.t('queue.empty'))));
    return;
  }
  replace(list, h('section', {class: 'gr-card', 'aria-labelledby': 'queue-heading'},
    answer.truncated ? h('p', {class: 'gr-muted', id: 'queue-truncated'}, c.t('queue.truncated')) : null,
    h('table', {class: 'gr-table', id: 'queue-table'},
      h('caption', {class: 'gr-sr-only'}, c.t('queue.title')),
      h('thead', {}, h('tr', {}, [c.t('queue.account'), c.t('passes.issuedBy'), c.t('passes.evidence'),
        c.t('passes.ticket'), c.t('passes.issued'), c.t('passes.expires'), ''].map(x => h('th', {scope: 'col'}, x)))),
      h('tbody', {}, answer.pending.map(item => h('tr', {'data-user': item.username},
        h('td', {}, item.username), h('td', {}, item.pass.issuedBy || '—'),
        h('td', {}, c.word('evidence.', item.pass.evidence)), h('td', {}, item.pass.ticket || '—'),
        h('td', {}, when(item.pass.issuedAt, lang)), h('td', {}, when(item.pass.expiresAt, lang)),
        h('td', {}, item.mine ? h('span', {class: 'gr-muted'}, c.t('queue.mine'))
          : h('button', {type: 'button', class: 'pf-v5-c-button pf-m-primary pf-m-small', 'data-approve': item.username,
            on: {click: async () => {
              try {
                const pass = await c.api.governed.post(`users/${segment(item.userId)}/temporary-access-passes/`
                  + `${segment(item.pass.id)}/approval`);
                replace(result, passShownOnce(c.t, pass, item.username, c.language()));
                document.getElementById('copy-pass').focus();
              } catch (failure) {
                if (!(failure instanceof ApiError)) {
                  throw failure;
                }
                replace(result, alert('danger', c.t('queue.refused'), failure.message));
              }
              await load(c, list, result);
            }}}, c.t('queue.approve')))))))));
}
