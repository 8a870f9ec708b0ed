// Helpdesk: find a user, see the account's recovery picture in plain words, issue and revoke temporary access passes.
import {h, replace, when} from '../lib/dom.js';
import {field, Fields, alert} from '../lib/forms.js';
import {ApiError, segment} from '../lib/api.js';
import {passShownOnce} from './passes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TICKET = /^[A-Za-z0-9._:/#-]{1,64}$/;
const EVIDENCE = ['callback', 'manager', 'in-person', 'video', 'other'];

export default {
  id: 'helpdesk',
  nav: 'nav.helpdesk',
  allowed: access => access.views.helpdesk,
  async render(element, c, userId) {
    const results = h('div', {id: 'search-results'});
    const picture = h('div', {id: 'picture'});
    const waiting = h('div', {id: 'waiting'});
    replace(element, h('h1', {class: 'gr-title'}, c.t('helpdesk.title')), searchForm(c, results), results, picture,
      waiting);
    await showWaiting(waiting, c);
    if (userId) {
      await showPicture(picture, c, userId);
    }
  },
};

function searchForm(c, results) {
  const query = field({name: 'query', label: c.t('helpdesk.searchLabel'), hint: c.t('helpdesk.searchHint'),
    input: h('input', {type: 'search', autocomplete: 'off', maxlength: '200'})});
  const fields = new Fields({query});
  const form = h('form', {class: 'gr-card', role: 'search', 'aria-label': c.t('helpdesk.searchLabel'), novalidate: true,
    on: {submit: async event => {
      event.preventDefault();
      const text = fields.value('query');
      if (text.length < 1 || text.length > 200) {
        fields.show({query: c.t('helpdesk.searchMissing')});
        return;
      }
      fields.clear();
      await search(c, text, results);
    }}},
  h('div', {class: 'gr-row'}, query,
    h('div', {class: 'gr-field'}, h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-primary', id: 'search'},
      c.t('helpdesk.search')))));
  return form;
}

async function search(c, text, results) {
  let users;
  try {
    if (UUID.test(text)) {
      users = [await c.api.keycloak.get(`users/${segment(text)}`)];
    } else {
      users = await c.api.keycloak.get(`users?briefRepresentation=true&max=20&search=${encodeURIComponent(text)}`);
    }
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) {
      users = [];
    } else {
      throw failure;
    }
  }
  const heading = h('h2', {id: 'results-heading', tabindex: '-1'}, c.t('helpdesk.results', users.length));
  replace(results, h('section', {class: 'gr-card', 'aria-labelledby': 'results-heading'}, heading,
    users.length === 0 ? h('p', {}, c.t('helpdesk.noResults')) : h('ul', {class: 'gr-results'},
      users.map(user => h('li', {}, h('button', {type: 'button', 'data-user': user.username,
        on: {click: () => c.navigate('helpdesk', user.id)}},
      `${user.username}`, user.email ? ` · ${user.email}` : '',
      user.firstName || user.lastName ? ` · ${[user.firstName, user.lastName].filter(Boolean).join(' ')}` : ''))))));
  heading.focus();
  c.announce(c.t('helpdesk.results', users.length));
}

async function showPicture(element, c, userId) {
  const p = await c.api.governed.get(`users/${segment(userId)}/recovery`);
  const lang = c.language();
  const passResult = h('div', {id: 'pass-result'});
  const passes = h('div', {id: 'passes'});
  const heading = h('h2', {id: 'picture-heading', tabindex: '-1'}, c.t('picture.title', p.user.username));
  replace(element,
    h('section', {class: 'gr-card', 'aria-labelledby': 'picture-heading'}, heading,
      h('div', {class: 'gr-buttons'}, h('button', {type: 'button', class: 'pf-v5-c-button pf-m-link', id: 'refresh',
        on: {click: () => showPicture(element, c, userId)}}, c.t('picture.refresh'))),
      summary(c, p)),
    p.freeze && p.freeze.frozen ? frozenCard(c, p, lang, () => showPicture(element, c, userId)) : null,
    methods(c, p, lang), resets(c, p, lang), approvalsOf(c, p, lang),
    h('section', {class: 'gr-card', 'aria-labelledby': 'passes-heading'},
      h('h3', {id: 'passes-heading'}, c.t('passes.title')), passResult, passes,
      p.tier === 'break-glass' ? alert('info', c.t('passes.breakGlass'))
        : issueForm(c, p, passResult, () => refreshPasses(c, p, passes, passResult))));
  renderPasses(c, p, p.passes, passes, passResult);
  heading.focus();
}

function summary(c, p) {
  const name = [p.user.firstName, p.user.lastName].filter(Boolean).join(' ');
  const standing = !p.compliance.applicable ? c.t('picture.complianceNotApplicable')
    : p.compliance.meets ? c.t('picture.complianceMeets', p.compliance.requiredMethods, p.compliance.requiredStrong)
      : c.t('picture.complianceMisses', p.compliance.reason || '');
  const riskText = p.risk.level === 'NORMAL' ? c.t('risk.NORMAL')
    : `${c.word('risk.', p.risk.level)} (${c.t('risk.score', p.risk.score)}: ${p.risk.reasons.map(r => c.word('rule.', r)).join(', ')})`;
  const paused = p.paused.length === 0 ? c.t('picture.noPauses')
    : p.paused.map(x => c.t('picture.paused', c.word('method.', x.method), c.word('pausedName.', x.name), x.minutes)).join('; ');
  return h('dl', {class: 'gr-dl', id: 'summary'},
    h('dt', {}, c.t('picture.name')), h('dd', {}, name || '—'),
    h('dt', {}, c.t('picture.email')), h('dd', {}, p.user.email || '—'),
    h('dt', {}, c.t('picture.account')), h('dd', {}, p.user.enabled ? c.t('picture.enabled') : c.t('picture.disabled')),
    h('dt', {}, c.t('picture.tier')), h('dd', {id: 'tier'}, c.word('tier.', p.tier)),
    h('dt', {}, c.t('picture.compliance')), h('dd', {id: 'compliance'},
      h('span', {class: `gr-label ${p.compliance.meets ? 'gr-ok' : 'gr-warn'}`}, standing)),
    h('dt', {}, c.t('picture.risk')), h('dd', {id: 'risk'}, riskText),
    h('dt', {}, c.t('picture.pausedTitle')), h('dd', {id: 'paused'}, paused));
}

/** The account's self-service recovery is frozen: since when, by whom, why; the helpdesk lifts it with a ticket. */
function frozenCard(c, p, lang, refresh) {
  const by = p.freeze.by === 'owner' ? c.t('freeze.byOwner') : p.freeze.by || '—';
  const reason = (p.freeze.reason || '').startsWith('not-me:')
    ? c.t('freeze.notMe', c.word('notice.', p.freeze.reason.substring(7))) : p.freeze.reason || '—';
  const result = h('div', {id: 'lift-result'});
  let form = null;
  if (p.mayManage) {
    const ticket = field({name: 'ticket', label: c.t('freeze.ticket'), hint: c.t('issue.ticketHint'),
      input: h('input', {type: 'text', autocomplete: 'off', maxlength: '64'})});
    const fields = new Fields({ticket});
    form = h('form', {novalidate: true, id: 'lift-form', on: {submit: withTicket(c, fields, result,
      () => `users/${segment(p.user.id)}/recovery-freeze/lift`, 'freeze.lifted', 'freeze.refused', refresh)}},
    h('div', {class: 'gr-row'}, ticket),
    h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-primary', id: 'lift'}, c.t('freeze.lift')));
  }
  return h('section', {class: 'gr-card', 'aria-labelledby': 'freeze-heading', id: 'freeze'},
    h('h3', {id: 'freeze-heading'}, c.t('freeze.title')),
    alert('warning', c.t('freeze.text')),
    h('dl', {class: 'gr-dl'},
      h('dt', {}, c.t('freeze.since')), h('dd', {}, when(p.freeze.at, lang)),
      h('dt', {}, c.t('freeze.by')), h('dd', {id: 'freeze-by'}, by),
      h('dt', {}, c.t('freeze.reason')), h('dd', {id: 'freeze-reason'}, reason)),
    result, form || h('p', {class: 'gr-hint'}, c.t('freeze.cannotLift')));
}

/** Waiting-period recoveries under way: who, since when, until when, from where; the helpdesk ends one with a ticket. */
async function showWaiting(element, c) {
  const answer = await c.api.governed.get('waiting-recoveries');
  const lang = c.language();
  const result = h('div', {id: 'waiting-result'});
  const heading = h('h2', {id: 'waiting-heading'}, c.t('waiting.title', answer.waiting.length));
  if (answer.waiting.length === 0) {
    replace(element, h('section', {class: 'gr-card', 'aria-labelledby': 'waiting-heading'}, heading,
      h('p', {id: 'waiting-none'}, c.t('waiting.none'))));
    return;
  }
  const rows = answer.waiting.map(w => [
    h('button', {type: 'button', class: 'pf-v5-c-button pf-m-link', 'data-waiting': w.username,
      on: {click: () => c.navigate('helpdesk', w.userId)}}, w.username),
    when(w.startedAt, lang), when(w.endsAt, lang), w.requesterIp, c.word('method.', w.method),
    w.matured ? c.t('waiting.matured') : w.halfwayNoticeAt ? c.t('waiting.halfway') : c.t('waiting.running')]);
  const choice = field({name: 'wait', label: c.t('waiting.which'),
    input: h('select', {}, answer.waiting.map(w => h('option', {value: w.id}, w.username)))});
  const ticket = field({name: 'ticket', label: c.t('waiting.ticket'), hint: c.t('issue.ticketHint'),
    input: h('input', {type: 'text', autocomplete: 'off', maxlength: '64'})});
  const fields = new Fields({wait: choice, ticket});
  const form = h('form', {novalidate: true, id: 'waiting-end-form', on: {submit: withTicket(c, fields, result,
    () => `waiting-recoveries/${segment(fields.value('wait'))}/end`, 'waiting.ended', 'waiting.refused',
    () => showWaiting(element, c))}},
  h('div', {class: 'gr-row'}, choice, ticket),
  h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-secondary', id: 'waiting-end'}, c.t('waiting.end')));
  replace(element, h('section', {class: 'gr-card', 'aria-labelledby': 'waiting-heading'}, heading,
    h('p', {class: 'gr-hint'}, c.t('waiting.text')),
    table(c.t('waiting.title', answer.waiting.length), [c.t('waiting.user'), c.t('waiting.started'),
      c.t('waiting.ends'), c.t('waiting.from'), c.t('waiting.method'), c.t('waiting.state')], rows, 'waiting-table'),
    result, form));
}

/**
 * A form's submit handler for a helpdesk action that needs a ticket: the ticket is checked next to its field, then
 * `path()` is posted with it; success is announced and the view refreshed, a refusal shown in `result`.
 */
function withTicket(c, fields, result, path, doneKey, refusedKey, refresh) {
  return async event => {
    event.preventDefault();
    if (!TICKET.test(fields.value('ticket'))) {
      fields.show({ticket: c.t('issue.ticketBad')});
      return;
    }
    fields.show({});
    try {
      await c.api.governed.post(path(), {ticket: fields.value('ticket')});
      c.announce(c.t(doneKey));
      await refresh();
    } catch (failure) {
      if (failure instanceof ApiError) {
        replace(result, alert('danger', c.t(refusedKey), failure.message));
      } else {
        throw failure;
      }
    }
  };
}

function table(caption, headers, rows, id) {
  return h('table', {class: 'gr-table', id},
    h('caption', {class: 'gr-sr-only'}, caption),
    h('thead', {}, h('tr', {}, headers.map(text => h('th', {scope: 'col'}, text)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell => h('td', {}, cell))))));
}

function methods(c, p, lang) {
  const rows = p.methods.map(m => [c.word('method.', m.methodId), c.word('strength.', m.strength),
    when(m.changedAt, lang),
    m.countsNow ? h('span', {class: 'gr-label gr-ok'}, c.t('picture.countsNow'))
      : h('span', {class: 'gr-label gr-warn'}, c.t('picture.countsFrom', when(m.countsFrom, lang)))]);
  return h('section', {class: 'gr-card', 'aria-labelledby': 'methods-heading'},
    h('h3', {id: 'methods-heading'}, c.t('picture.methods')),
    p.cooldownHours !== null ? h('p', {class: 'gr-hint'}, c.t('picture.cooldown', p.cooldownHours)) : null,
    rows.length === 0 ? h('p', {}, c.t('picture.noMethods'))
      : table(c.t('picture.methods'), [c.t('picture.method'), c.t('picture.strength'), c.t('picture.added'),
        c.t('picture.counts')], rows, 'methods'));
}

/** Where a reset ended and why, in words: the last step, and its decision, outcome, reason and error. */
export function why(c, step) {
  const parts = [];
  for (const [prefix, code] of [['decision.', step.decision], ['outcome.', step.outcome], ['reason.', step.reason],
    ['eventError.', step.error]]) {
    const text = c.word(prefix, code);
    if (text && !parts.includes(text)) {
      parts.push(text);
    }
  }
  return parts.join('; ');
}

function stepText(c, s, lang) {
  const method = s.method ? ` (${c.word('method.', s.method)})` : '';
  const reason = why(c, s);
  return `${when(s.time, lang)}: ${c.word('step.', s.step || s.type)}${method}${reason ? ` – ${reason}` : ''}`;
}

// A client address is event history: shown only to who may view the realm's events (the picture says so).
function address(c, p, ip) {
  return p.addressesShown === false ? h('span', {class: 'gr-muted'}, c.t('picture.addressHidden')) : ip || '—';
}

function resets(c, p, lang) {
  let content;
  if (p.attempts === null) {
    content = h('p', {}, c.t('picture.noPipeline'));
  } else if (p.attempts.length === 0) {
    content = h('p', {}, c.t('picture.noResets'));
  } else {
    content = table(c.t('picture.resets'), [c.t('picture.started'), c.t('picture.from'), c.t('picture.proven'),
      c.t('picture.endedAt'), c.t('picture.why')], p.attempts.map(a => [
      when(a.startedAt, lang), address(c, p, a.ip),
      a.methods.length ? a.methods.map(m => c.word('method.', m)).join(', ') : '—',
      a.finished ? c.t('picture.finished') : c.word('step.', a.last.step || a.last.type),
      h('div', {}, why(c, a.last), h('details', {}, h('summary', {}, c.t('picture.steps')),
        h('ol', {class: 'gr-steps'}, a.steps.map(s => h('li', {}, stepText(c, s, lang))))))]), 'resets');
  }
  return h('section', {class: 'gr-card', 'aria-labelledby': 'resets-heading'},
    h('h3', {id: 'resets-heading'}, c.t('picture.resets')), content);
}

function approvalsOf(c, p, lang) {
  return h('section', {class: 'gr-card', 'aria-labelledby': 'open-approvals-heading'},
    h('h3', {id: 'open-approvals-heading'}, c.t('picture.approvals')),
    p.approvals.length === 0 ? h('p', {}, c.t('picture.noApprovals'))
      : table(c.t('picture.approvals'), [c.t('approvals.requested'), c.t('approvals.from'), c.t('approvals.methods'),
        c.t('approvals.expires')], p.approvals.map(a => [when(a.createdAt, lang), address(c, p, a.ip),
        a.methods.map(m => c.word('method.', m)).join(', '), when(a.expiresAt, lang)]), 'open-approvals'));
}

async function refreshPasses(c, p, passes, passResult) {
  const answer = await c.api.governed.get(`users/${segment(p.user.id)}/temporary-access-passes`);
  renderPasses(c, p, answer.passes, passes, passResult);
}

function renderPasses(c, p, list, passes, passResult) {
  const lang = c.language();
  if (list.length === 0) {
    replace(passes, h('p', {}, c.t('passes.none')));
    return;
  }
  replace(passes, table(c.t('passes.title'), [c.t('passes.status'), c.t('passes.issued'), c.t('passes.expires'),
    c.t('passes.issuedBy'), c.t('passes.approvedBy'), c.t('passes.evidence'), c.t('passes.ticket'), ''],
  list.map(pass => [
    h('span', {class: `gr-label ${pass.status === 'active' ? 'gr-ok' : pass.status === 'pending-approval' ? 'gr-warn' : ''}`,
      'data-status': pass.status}, c.word('passStatus.', pass.status)),
    when(pass.issuedAt, lang), when(pass.expiresAt, lang), pass.issuedBy || '—', pass.approvedBy || '—',
    c.word('evidence.', pass.evidence), pass.ticket || '—',
    pass.status === 'active' || pass.status === 'pending-approval' ? revokeButton(c, p, pass, passes, passResult) : '']),
  'pass-list'));
}

function revokeButton(c, p, pass, passes, passResult) {
  const box = h('div', {class: 'gr-buttons'});
  const ask = h('button', {type: 'button', class: 'pf-v5-c-button pf-m-danger pf-m-small', 'data-revoke': pass.id,
    on: {click: () => {
      const confirm = h('button', {type: 'button', class: 'pf-v5-c-button pf-m-danger pf-m-small',
        'data-confirm-revoke': pass.id, on: {click: async () => {
          await c.api.governed.delete(`users/${segment(p.user.id)}/temporary-access-passes/${segment(pass.id)}`);
          replace(passResult, alert('success', c.t('passes.revoked')));
          c.announce(c.t('passes.revoked'));
          await refreshPasses(c, p, passes, passResult);
        }}}, c.t('passes.confirmRevoke'));
      replace(box, confirm, h('button', {type: 'button', class: 'pf-v5-c-button pf-m-link pf-m-small',
        on: {click: () => replace(box, ask)}}, c.t('cancel')));
      confirm.focus();
    }}}, c.t('passes.revoke'));
  return replace(box, ask);
}

function issueForm(c, p, passResult, refresh) {
  const evidence = field({name: 'evidence', label: c.t('issue.evidence'), hint: c.t('issue.evidenceHint'),
    input: h('select', {}, h('option', {value: ''}, c.t('issue.choose')),
      EVIDENCE.map(e => h('option', {value: e}, c.word('evidence.', e))))});
  const ticket = field({name: 'ticket', label: c.t('issue.ticket'), hint: c.t('issue.ticketHint'),
    input: h('input', {type: 'text', autocomplete: 'off', maxlength: '64'})});
  const lifetime = field({name: 'lifetimeMinutes', label: c.t('issue.lifetime'), hint: c.t('issue.lifetimeHint'),
    input: h('input', {type: 'text', inputmode: 'numeric', value: '60', maxlength: '4'})});
  const note = field({name: 'note', label: c.t('issue.note'), hint: c.t('issue.noteHint'),
    input: h('textarea', {rows: '2', maxlength: '400'})});
  const oneTimeBox = h('input', {type: 'checkbox', checked: true, id: 'issue-one-time'});
  const oneTime = h('div', {class: 'gr-check'}, oneTimeBox, h('label', {for: 'issue-one-time'}, c.t('issue.oneTime')));
  oneTime.input = oneTimeBox;
  oneTime.error = h('span');
  const fields = new Fields({evidence, ticket, lifetimeMinutes: lifetime, note, oneTime});
  const form = h('form', {novalidate: true, id: 'issue-form', 'aria-labelledby': 'issue-heading', on: {submit: async event => {
    event.preventDefault();
    const errors = {};
    if (!EVIDENCE.includes(fields.value('evidence'))) {
      errors.evidence = c.t('issue.evidenceMissing');
    }
    if (!TICKET.test(fields.value('ticket'))) {
      errors.ticket = c.t('issue.ticketBad');
    }
    const minutes = fields.value('lifetimeMinutes');
    if (!/^\d{1,3}$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > 480) {
      errors.lifetimeMinutes = c.t('issue.lifetimeBad');
    }
    const noteText = fields.value('note');
    // eslint-disable-next-line no-control-regex
    if (noteText.length > 200 || /[\u0000-\u001f\u007f]/.test(noteText)) {
      errors.note = c.t('issue.noteBad');
    }
    if (fields.show(errors)) {
      return;
    }
    const body = {evidence: fields.value('evidence'), ticket: fields.value('ticket'),
      lifetimeMinutes: Number(minutes), oneTime: fields.value('oneTime')};
    if (noteText) {
      body.note = noteText;
    }
    try {
      const answer = await c.api.governed.post(`users/${segment(p.user.id)}/temporary-access-passes`, body);
      form.reset();
      lifetime.input.value = '60';
      if (answer.pass) {
        replace(passResult, passShownOnce(c.t, answer, p.user.username, c.language()));
        document.getElementById('copy-pass').focus();
      } else {
        replace(passResult, alert('info', c.t('issue.pendingTitle'), c.t('issue.pendingText')));
        c.announce(c.t('issue.pendingTitle'));
      }
      await refresh();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400 && failure.field && fields.fields[failure.field]) {
        fields.show({[failure.field]: failure.message});
      } else if (failure instanceof ApiError) {
        replace(passResult, alert('danger', c.t('issue.refused'), failure.message));
      } else {
        throw failure;
      }
    }
  }}},
  h('h3', {id: 'issue-heading'}, c.t('issue.title')),
  p.tier === 'privileged' ? h('p', {class: 'gr-hint'}, c.t('issue.privilegedHint')) : null,
  h('div', {class: 'gr-row'}, evidence, ticket, lifetime), note, oneTime,
  h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-primary', id: 'issue'}, c.t('issue.submit')));
  return form;
}
