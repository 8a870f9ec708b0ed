// The recovery console: signs in through the realm, asks the admin API which views this person may use, and shows
// them. A view is one module under views/ with {id, nav, allowed(access), render(element, context, argument)}: adding
// a view is adding its module to VIEWS.
import * as auth from './lib/auth.js';
import * as i18n from './lib/i18n.js';
import {api, ApiError} from './lib/api.js';
import {h, replace} from './lib/dom.js';
import {alert} from './lib/forms.js';
import helpdesk from './views/helpdesk.js';
import passQueue from './views/pass-queue.js';
import approvals from './views/approvals.js';
import policy from './views/policy.js';
import findings from './views/findings.js';
import activity from './views/activity.js';

const VIEWS = [helpdesk, passQueue, approvals, findings, activity, policy];

const state = {access: null, person: null};

function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  window.setTimeout(() => { region.textContent = text; }, 50);
}

function allowedViews() {
  return VIEWS.filter(view => state.access && view.allowed(state.access));
}

/** The view and its argument of a location hash: #/helpdesk/<userId> (a malformed argument is none). */
function route() {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/');
  const views = allowedViews();
  const view = views.find(v => v.id === parts[0]) || views[0];
  let argument = null;
  if (view && view.id === parts[0] && parts[1]) {
    try {
      argument = decodeURIComponent(parts[1]);
    } catch (malformed) {
      if (!(malformed instanceof URIError)) {
        throw malformed;
      }
    }
  }
  return {view, argument};
}

function navigate(viewId, argument) {
  const hash = `#/${viewId}${argument ? `/${encodeURIComponent(argument)}` : ''}`;
  if (window.location.hash === hash) {
    show();
  } else {
    window.location.hash = hash;
  }
}

function renderNav(current) {
  const list = document.getElementById('nav-list');
  replace(list, ...allowedViews().map(view => h('li', {},
    h('a', {href: `#/${view.id}`, 'aria-current': view === current ? 'page' : null}, i18n.t(view.nav)))));
  document.getElementById('nav').hidden = false;
}

async function show() {
  const main = document.getElementById('view');
  const {view, argument} = route();
  renderNav(view);
  if (!view) {
    replace(main, alert('warning', i18n.t('noAccess.title'), i18n.t('noAccess.text')));
    return;
  }
  document.title = `${i18n.t(view.nav)} · ${i18n.t('title')}`;
  const element = h('div', {});
  replace(main, element);
  const context = {t: i18n.t, word: i18n.word, language: i18n.current, api, navigate, announce,
    person: state.person};
  try {
    await view.render(element, context, argument);
  } catch (failure) {
    replace(element, failed(failure));
  }
}

/** What a failed call means to the person: no right, session over, or the server could not answer. */
export function failed(failure) {
  if (failure instanceof ApiError && failure.status === 403) {
    return alert('danger', i18n.t('error.forbidden'), failure.message);
  }
  if (failure instanceof ApiError && failure.status === 401) {
    return alert('warning', i18n.t('error.expired'));
  }
  return alert('danger', i18n.t('error.failed'), failure.message || String(failure));
}

/**
 * The sign-in has ended (its token could not be renewed): a banner offers to sign in again, and the page stays as it
 * is until the person chooses to, so a pass just shown does not vanish before it is copied.
 */
function sessionEnded() {
  if (document.getElementById('session-ended')) {
    return;
  }
  const banner = h('div', {id: 'session-ended', class: 'gr-session-ended'},
    alert('warning', i18n.t('session.ended'), i18n.t('session.endedText')),
    h('button', {type: 'button', class: 'pf-v5-c-button pf-m-primary', id: 'sign-in-again',
      on: {click: () => auth.signIn(window.location.hash, i18n.current())}}, i18n.t('signIn')));
  document.getElementById('main-content').prepend(banner);
}

function signedInChrome() {
  document.getElementById('signed-in-as').textContent = i18n.t('signedInAs', state.person.username);
  const button = document.getElementById('sign-out');
  button.hidden = false;
  button.onclick = () => auth.signOut();
}

async function start() {
  const where = auth.location_();
  document.getElementById('realm-name').textContent = where.realm;
  await i18n.use(i18n.pick(null));
  const language = document.getElementById('language');
  language.value = i18n.current();
  language.addEventListener('change', async () => {
    await i18n.use(language.value);
    if (state.person) {
      signedInChrome();
      show();
    }
  });
  let returned;
  try {
    returned = await auth.completeSignIn(sessionEnded);
  } catch (refused) {
    document.getElementById('loading').hidden = true;
    replace(document.getElementById('view'), alert('danger', i18n.t('error.signIn'), refused.message),
      h('button', {type: 'button', class: 'pf-v5-c-button pf-m-primary', on: {click: () => auth.signIn('', i18n.current())}},
        i18n.t('signIn')));
    return;
  }
  if (!returned) {
    await auth.signIn(window.location.hash, i18n.current());
    return;
  }
  state.person = auth.person();
  if (state.person.locale && i18n.LANGUAGES.includes(state.person.locale)) {
    await i18n.use(state.person.locale);
    language.value = i18n.current();
  }
  signedInChrome();
  try {
    state.access = await api.governed.get('console/access');
  } catch (refused) {
    state.access = null;
  }
  document.getElementById('loading').hidden = true;
  if (returned.view && returned.view.startsWith('#/')) {
    window.history.replaceState(null, '', returned.view);
  }
  window.addEventListener('hashchange', () => {
    if (window.location.hash.startsWith('#/')) {
      show().then(() => document.getElementById('main-content').focus());
    }
  });
  await show();
}

start();
