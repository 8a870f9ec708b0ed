// Security: the anomaly findings, filtered by rule, time, user and address; each with its evidence, its related
// events on request, and a triage: "confirmed" (optionally freezing the account's self-service recovery) or "false
// positive" (its rule no longer raises the subject's risk). Every triage is an admin event and an exported record.
import {h, replace} from '../lib/dom.js';
import {field, Fields, alert} from '../lib/forms.js';
import {ApiError, segment} from '../lib/api.js';

const RULES = ['failed-resets', 'ip-many-accounts', 'department-spike', 'new-subnet', 'reset-after-method-change',
  'privileged-reset', 'break-glass-use', 'send-volume', 'owner-report', 'waiting-recoveries'];
const PERIODS = {'1': 1, '7': 7, '30': 30};

export default {
  id: 'findings',
  nav: 'nav.findings',
  allowed: access => access.views.security,
  async render(element, c) {
    const result = h('div', {id: 'findings-result'});
    const list = h('div', {id: 'findings-list'});
    const filters = filterForm(c, list, result);
    replace(element, h('h1', {class: 'gr-title', id: 'findings-heading', tabindex: '-1'}, c.t('findings.title')),
      h('p', {}, c.t('findings.intro')), filters.form, result, list);
    await filters.run();
  },
};

function filterForm(c, list, result) {
  const rule = field({name: 'rule', label: c.t('findings.rule'),
    input: h('select', {}, h('option', {value: ''}, c.t('findings.anyRule')),
      RULES.map(r => h('option', {value: r}, c.word('rule.', r))))});
  const period = field({name: 'period', label: c.t('findings.period'),
    input: h('select', {}, Object.keys(PERIODS).map(d => h('option', {value: d, selected: d === '7'},
      c.t('findings.lastDays', d))))});
  const user = field({name: 'user', label: c.t('findings.user'), hint: c.t('findings.userHint'),
    input: h('input', {type: 'text', maxlength: '255', autocomplete: 'off'})});
  const ip = field({name: 'ip', label: c.t('findings.address'), input: h('input', {type: 'text', maxlength: '64',
    autocomplete: 'off'})});
  const fields = new Fields({rule, period, user, ip});
  const run = async () => {
    const query = new URLSearchParams({limit: '200'});
    const days = PERIODS[fields.value('period')] || 7;
    query.set('from', new Date(Date.now() - days * 86_400_000).toISOString());
    for (const name of ['rule', 'user', 'ip']) {
      if (fields.value(name)) {
        query.set(name, fields.value(name));
      }
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(fields.value('user') + fields.value('ip'))) {
      fields.show({user: c.t('findings.filterBad')});
      return;
    }
    fields.clear();
    try {
      const findings = await c.api.governed.get(`findings?${query}`);
      show(c, list, result, findings);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400 && failure.field && fields.fields[failure.field]) {
        fields.show({[failure.field]: failure.message});
        return;
      }
      throw failure;
    }
  };
  const form = h('form', {class: 'gr-card gr-filters', id: 'findings-filters', novalidate: true,
    'aria-label': c.t('findings.filters'), on: {submit: event => { event.preventDefault(); run(); }}},
  rule, period, user, ip, h('div', {class: 'gr-buttons'},
    h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-primary', id: 'findings-search'},
      c.t('findings.search'))));
  return {form, run};
}

function show(c, list, result, findings) {
  if (findings.length === 0) {
    replace(list, h('section', {class: 'gr-card'}, h('p', {id: 'findings-none'}, c.t('findings.none'))));
    return;
  }
  replace(list, h('p', {class: 'gr-muted', id: 'findings-count'}, c.t('findings.count', findings.length)),
    ...findings.map(f => finding(c, f, list, result)));
}

/** Who or what the finding is about, in words. */
function subject(c, f) {
  const r = f.record;
  switch (r.subject) {
    case 'account': return c.t('findings.subjectAccount', f.username || r.username || f.userId);
    case 'name': return c.t('findings.subjectName', r.username || '—');
    case 'department': return c.t('findings.subjectDepartment', r.department || '—');
    default: return c.t('findings.subjectAddress', f.ip || '—');
  }
}

function finding(c, f, list, result) {
  const lang = c.language();
  const r = f.record;
  const headingId = `finding-${f.id}`;
  const related = h('div', {class: 'gr-related'});
  const evidence = Object.entries(r.evidence || {}).map(([k, v]) => h('li', {}, c.t('findings.evidence', k, v)));
  return h('section', {class: 'gr-card gr-finding', 'aria-labelledby': headingId, 'data-finding': f.id,
    'data-rule': f.rule},
  h('h2', {id: headingId}, `${c.word('rule.', f.rule)}: ${subject(c, f)}`),
  h('dl', {class: 'gr-dl'},
    h('dt', {}, c.t('findings.when')), h('dd', {}, new Date(f.time).toLocaleString(lang)),
    h('dt', {}, c.t('findings.score')), h('dd', {}, String(r.score)),
    h('dt', {}, c.t('findings.address')), h('dd', {}, f.ip || '—'),
    h('dt', {}, c.t('findings.status')), h('dd', {'data-triage': f.triage ? f.triage.verdict : 'open'},
      triageText(c, f.triage, lang))),
  h('h3', {}, c.t('findings.evidenceHeading')), h('ul', {class: 'gr-list'}, evidence),
  h('div', {class: 'gr-buttons'},
    h('button', {type: 'button', class: 'pf-v5-c-button pf-m-secondary', 'data-related': f.id,
      on: {click: () => relatedEvents(c, f, related)}}, c.t('findings.showEvents'))),
  related, triageForm(c, f, list, result));
}

function triageText(c, triage, lang) {
  if (!triage) {
    return c.t('findings.open');
  }
  const text = c.t(triage.verdict === 'false_positive' ? 'findings.judgedFalse' : 'findings.judgedConfirmed',
    triage.by || '—', new Date(triage.at).toLocaleString(lang));
  return [text, triage.frozen ? ` ${c.t('findings.frozenToo')}` : '', triage.note ? ` “${triage.note}”` : ''].join('');
}

async function relatedEvents(c, f, target) {
  const r = f.record;
  const query = new URLSearchParams({limit: '50', from: String(r.windowStart), to: String(r.windowEnd + 60_000)});
  if (f.userId) {
    query.set('user', f.userId);
  } else if (f.ip) {
    query.set('ip', f.ip);
  } else {
    replace(target, h('p', {class: 'gr-muted'}, c.t('findings.noRelated')));
    return;
  }
  const events = await c.api.governed.get(`events?${query}`);
  if (events.length === 0) {
    replace(target, h('p', {class: 'gr-muted'}, c.t('findings.noRelated')));
    return;
  }
  const lang = c.language();
  replace(target, h('table', {class: 'gr-table', 'data-related-for': f.id},
    h('caption', {}, c.t('findings.relatedCaption', events.length)),
    h('thead', {}, h('tr', {}, [c.t('findings.when'), c.t('findings.event'), c.t('findings.step'),
      c.t('findings.outcome'), c.t('findings.address')].map(x => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, events.map(e => {
      const d = (e.record && e.record.details) || {};
      return h('tr', {}, h('td', {}, new Date(e.time).toLocaleString(lang)), h('td', {}, e.type),
        h('td', {}, d.gr_step || '—'), h('td', {}, d.gr_outcome || d.gr_decision || e.record.error || '—'),
        h('td', {}, e.ip || '—'));
    }))));
}

function triageForm(c, f, list, result) {
  const name = `verdict-${f.id}`;
  const radio = (value, label) => h('label', {class: 'gr-choice'},
    h('input', {type: 'radio', name, value, 'data-verdict': value}), ` ${label}`);
  const verdictGroup = h('fieldset', {class: 'gr-field'},
    h('legend', {}, c.t('findings.verdict')),
    radio('false-positive', c.t('findings.falsePositive')), radio('confirmed', c.t('findings.confirmed')));
  const verdictError = h('p', {class: 'gr-field-error', id: `${name}-error`, 'data-error-for': 'verdict'});
  verdictGroup.setAttribute('aria-describedby', verdictError.id);
  verdictGroup.addEventListener('change', () => { verdictError.textContent = ''; });
  const freeze = f.userId ? field({name: 'freeze', label: c.t('findings.freeze'), hint: c.t('findings.freezeHint'),
    input: h('input', {type: 'checkbox'})}) : null;
  const note = field({name: 'note', label: c.t('findings.note'), hint: c.t('findings.noteHint'),
    input: h('textarea', {rows: '2', maxlength: '600'})});
  const fields = new Fields(freeze ? {freeze, note} : {note});
  const chosen = () => {
    const checked = verdictGroup.querySelector('input:checked');
    return checked ? checked.value : '';
  };
  const submit = async () => {
    verdictError.textContent = '';
    const verdict = chosen();
    const text = fields.value('note');
    const freezing = freeze ? fields.value('freeze') : false;
    fields.clear();
    if (!verdict) {
      verdictError.textContent = c.t('findings.verdictMissing');
      verdictGroup.querySelector('input').focus();
      return;
    }
    // eslint-disable-next-line no-control-regex
    if (text.length > 500 || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) {
      fields.show({note: c.t('findings.noteBad')});
      return;
    }
    if (freezing && verdict !== 'confirmed') {
      fields.show({freeze: c.t('findings.freezeOnlyConfirmed')});
      return;
    }
    let saved;
    try {
      saved = await c.api.governed.post(`findings/${segment(f.id)}/triage`,
        {verdict, freeze: freezing, note: text});
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        throw failure;
      }
      if (failure.status === 400 && failure.field === 'verdict') {
        verdictError.textContent = failure.message;
        return;
      }
      if (failure.status === 400 && failure.field && fields.fields[failure.field]) {
        fields.show({[failure.field]: failure.message});
        return;
      }
      replace(result, alert('danger', c.t('findings.refused'), failure.message));
      return;
    }
    const done = c.t(verdict === 'confirmed' ? 'findings.doneConfirmed' : 'findings.doneFalse', subject(c, f));
    replace(result, alert('success', done, freezing ? c.t('findings.doneFrozen') : null));
    c.announce(done);
    // The card shows the verdict as saved (the list reads verdicts from the event pipeline, a moment later).
    const judged = {...f, triage: {verdict: saved.verdict, frozen: saved.frozen, note: saved.note, by: saved.by,
      at: new Date(saved.at).toISOString()}};
    const card = list.querySelector(`[data-finding="${CSS.escape(f.id)}"]`);
    if (card) {
      card.replaceWith(finding(c, judged, list, result));
    }
  };
  return h('form', {class: 'gr-triage', novalidate: true, 'data-triage-for': f.id,
    'aria-label': c.t('findings.triageFor', subject(c, f)),
    on: {submit: event => { event.preventDefault(); submit(); }}},
  verdictGroup, verdictError, freeze, note,
  h('div', {class: 'gr-buttons'}, h('button', {type: 'submit', class: 'pf-v5-c-button pf-m-primary',
    'data-triage-submit': f.id}, c.t('findings.save'))));
}
