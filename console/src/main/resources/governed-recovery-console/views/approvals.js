// Approver: the pending privileged resets this person may decide, with who, when, from where and which methods;
// approve, or deny with a reason.
import {h, replace, when} from '../lib/dom.js';
import {field, Fields, alert} from '../lib/forms.js';
import {ApiError} from '../lib/api.js';

export default {
  id: 'approvals',
  nav: 'nav.approvals',
  allowed: access => access.views.approvals,
  async render(element, c) {
    const result = h('div', {id: 'approval-result'});
    const list = h('div', {id: 'approval-list'});
    replace(element, h('h1', {class: 'gr-title', id: 'approvals-heading', tabindex: '-1'}, c.t('approvals.title')),
      h('p', {}, c.t('approvals.intro')), result, list);
    await load(c, list, result);
  },
};

async function load(c, list, result) {
  const answer = await c.api.approvals.list();
  if (answer.approvals.length === 0) {
    replace(list, h('section', {class: 'gr-card'}, h('p', {}, c.t('approvals.empty'))));
    return;
  }
  replace(list, ...answer.approvals.map(a => request(c, a, list, result)));
}

function request(c, a, list, result) {
  const lang = c.language();
  const headingId = `approval-${a.id}`;
  const reason = field({name: 'reason', label: c.t('approvals.reason'), hint: c.t('approvals.reasonHint'),
    input: h('textarea', {rows: '2', maxlength: '400'})});
  const fields = new Fields({reason});
  const decide = async decision => {
    const text = fields.value('reason');
    // eslint-disable-next-line no-control-regex
    if (text.length > 200 || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) {
      fields.show({reason: c.t('approvals.reasonBad')});
      return;
    }
    if (decision === 'deny' && text.length === 0) {
      fields.show({reason: c.t('approvals.reasonMissing')});
      return;
    }
    fields.clear();
    try {
      await c.api.approvals.decide(a.id, text ? {decision, reason: text} : {decision});
      const done = c.t(decision === 'approve' ? 'approvals.approved' : 'approvals.denied', a.username);
      replace(result, alert('success', done));
      c.announce(done);
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        throw failure;
      }
      if (failure.status === 400 && failure.field === 'reason') {
        fields.show({reason: failure.message});
        return;
      }
      replace(result, alert('danger', c.t('approvals.refused'), failure.message));
    }
    await load(c, list, result);
  };
  return h('section', {class: 'gr-card', 'aria-labelledby': headingId, 'data-user': a.username},
    h('h2', {id: headingId}, c.t('approvals.request', a.username)),
    h('dl', {class: 'gr-dl'},
      h('dt', {}, c.t('approvals.requested')), h('dd', {}, when(a.createdAt, lang)),
      h('dt', {}, c.t('approvals.from')), h('dd', {}, a.ip || '—'),
      h('dt', {}, c.t('approvals.methods')), h('dd', {}, a.methods.map(m => c.word('method.', m)).join(', ') || '—'),
      h('dt', {}, c.t('approvals.expires')), h('dd', {}, when(a.expiresAt, lang))),
    h('form', {novalidate: true, on: {submit: event => event.preventDefault()}}, reason,
      h('div', {class: 'gr-buttons'},
        h('button', {type: 'button', class: 'pf-v5-c-button pf-m-primary', 'data-approve': a.username,
          on: {click: () => decide('approve')}}, c.t('approvals.approve')),
        h('button', {type: 'button', class: 'pf-v5-c-button pf-m-danger', 'data-deny': a.username,
          on: {click: () => decide('deny')}}, c.t('approvals.deny')))));
}
