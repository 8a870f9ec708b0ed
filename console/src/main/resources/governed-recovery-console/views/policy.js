// Admin: the recovery policy in force in plain words with its problems, and the break-glass accounts with their last
// test and use and whether a test is overdue.
import {h, replace, when} from '../lib/dom.js';
import {alert} from '../lib/forms.js';

export default {
  id: 'policy',
  nav: 'nav.policy',
  allowed: access => access.views.policy,
  async render(element, c) {
    const [policy, breakGlass] = await Promise.all([c.api.governed.get('policy'),
      c.api.governed.get('break-glass')]);
    replace(element, h('h1', {class: 'gr-title'}, c.t('policy.title')),
      summary(c, policy), accounts(c, breakGlass));
  },
};

function summary(c, policy) {
  return h('section', {class: 'gr-card', 'aria-labelledby': 'policy-heading'},
    h('h2', {id: 'policy-heading'}, c.t('policy.inForce')),
    h('p', {class: 'gr-muted'}, c.t('policy.generated')),
    h('ul', {id: 'policy-statements', class: 'gr-list'}, policy.statements.map(s => h('li', {}, s))),
    h('h3', {id: 'problems-heading'}, c.t('policy.problems')),
    policy.problems.length === 0
      ? h('p', {id: 'policy-problems-none'}, c.t('policy.noProblems'))
      : h('div', {id: 'policy-problems'}, alert('danger', c.t('policy.problemsFound', policy.problems.length)),
        h('ul', {class: 'gr-list'}, policy.problems.map(p => h('li', {}, p)))));
}

function accounts(c, status) {
  const lang = c.language();
  const rows = status.accounts.map(a => h('tr', {'data-user': a.username},
    h('th', {scope: 'row'}, a.username),
    h('td', {}, c.t(a.enabled ? 'picture.enabled' : 'policy.disabled')),
    h('td', {}, a.lastTestAt ? c.t('policy.testBy', when(a.lastTestAt, lang), a.lastTestBy || '—',
      a.lastTestTicket || '—') : c.t('policy.never')),
    h('td', {'data-overdue': a.testOverdue ? 'yes' : 'no'}, a.testOverdue
      ? h('strong', {class: 'gr-overdue'}, c.t('policy.overdue'))
      : c.t('policy.dueBy', when(a.testDue, lang))),
    h('td', {}, a.lastUseAt ? when(a.lastUseAt, lang) : c.t('policy.never')),
    h('td', {}, a.lastSignInAt ? when(a.lastSignInAt, lang) : c.t('policy.never')),
    h('td', {}, c.t(a.rotationRequired ? 'policy.rotationPending' : 'policy.rotationNone'))));
  return h('section', {class: 'gr-card', 'aria-labelledby': 'break-glass-heading'},
    h('h2', {id: 'break-glass-heading'}, c.t('policy.breakGlass')),
    h('p', {}, c.t('policy.breakGlassIntro', status.testDays, status.testWindowMinutes)),
    status.overdue > 0 ? alert('warning', c.t('policy.overdueCount', status.overdue)) : null,
    status.accounts.length === 0 ? h('p', {id: 'break-glass-none'}, c.t('policy.noBreakGlass'))
      : h('table', {class: 'gr-table', id: 'break-glass-table'},
        h('caption', {class: 'gr-sr-only'}, c.t('policy.breakGlass')),
        h('thead', {}, h('tr', {}, [c.t('policy.account'), c.t('policy.status'), c.t('policy.lastTest'),
          c.t('policy.nextTest'), c.t('policy.lastUse'), c.t('policy.lastSignIn'), c.t('policy.rotation')]
          .map(x => h('th', {scope: 'col'}, x)))),
        h('tbody', {}, rows)));
}
