// Sign-in through the realm: OpenID Connect authorization code with PKCE (S256), as the public client
// governed-recovery-console. Tokens live in this module's memory only: never in storage, cookies or a URL. Only the
// sign-in round trip's state, nonce and code verifier wait in sessionStorage (they protect the round trip and are
// removed when it returns); the code comes back in the URL fragment, which never reaches a server.

export const CLIENT_ID = 'governed-recovery-console';
const PENDING = 'governed-recovery-console.sign-in';

let tokens = null;
let refreshTimer = null;
let onExpired = () => {};

/** Where the console runs: the server's base (with any context path), the realm and the console's own URL. */
export function location_() {
  const match = window.location.pathname.match(/^(.*)\/realms\/([^/]+)\/governed-recovery\/console\//);
  if (!match) {
    throw new Error('not under /realms/<realm>/governed-recovery/console/');
  }
  const base = window.location.origin + match[1];
  const realm = decodeURIComponent(match[2]);
  const oidc = `${base}/realms/${encodeURIComponent(realm)}/protocol/openid-connect`;
  return {base, realm, oidc, console: `${base}/realms/${encodeURIComponent(realm)}/governed-recovery/console/`};
}

function random(bytes) {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(values);
}

function base64url(bytes) {
  let text = '';
  for (const b of bytes) {
    text += String.fromCharCode(b);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function claims(jwt) {
  const part = (jwt || '').split('.')[1] || '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(decodeURIComponent(Array.from(json, c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
}

/** Goes to the realm's sign-in page; {@code view} is where to come back to. */
export async function signIn(view, language) {
  const where = location_();
  const verifier = random(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending = {state: random(16), nonce: random(16), verifier, view: view || ''};
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const query = new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: where.console, response_type: 'code', response_mode: 'fragment',
    scope: 'openid', state: pending.state, nonce: pending.nonce, code_challenge: challenge,
    code_challenge_method: 'S256', ui_locales: language || 'en'});
  window.location.assign(`${where.oidc}/auth?${query}`);
}

/**
 * Finishes a sign-in when the page is the realm's answer (a fragment with state and code or error): checks the state
 * and the ID token's nonce, exchanges the code with the verifier, and gives the view to return to. Returns null when
 * the page is not such an answer; throws when the answer is wrong or refused.
 */
export async function completeSignIn(expired) {
  onExpired = expired;
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  if (!fragment.has('state')) {
    return null;
  }
  const where = location_();
  window.history.replaceState(null, '', where.console);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  if (!pending || pending.state !== fragment.get('state')) {
    throw new Error('state');
  }
  if (fragment.has('error') || !fragment.has('code')) {
    throw new Error(fragment.get('error') || 'code');
  }
  const answer = await token({grant_type: 'authorization_code', code: fragment.get('code'),
    redirect_uri: where.console, code_verifier: pending.verifier});
  if (claims(answer.id_token).nonce !== pending.nonce) {
    tokens = null;
    throw new Error('nonce');
  }
  keep(answer);
  return {view: pending.view};
}

async function token(form) {
  const response = await fetch(`${location_().oidc}/token`, {
    method: 'POST', credentials: 'omit', cache: 'no-store',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({client_id: CLIENT_ID, ...form})});
  if (!response.ok) {
    throw new Error(`token ${response.status}`);
  }
  return response.json();
}

function keep(answer) {
  tokens = {access: answer.access_token, refresh: answer.refresh_token, id: answer.id_token || tokens?.id};
  clearTimeout(refreshTimer);
  const seconds = Math.max(5, (answer.expires_in || 60) - 30);
  refreshTimer = setTimeout(refresh, seconds * 1000);
}

// When the token cannot be renewed (the realm session ended), the console is told and decides what to show; it does
// not leave the page by itself.
async function refresh() {
  try {
    keep(await token({grant_type: 'refresh_token', refresh_token: tokens.refresh}));
  } catch (e) {
    tokens = null;
    onExpired();
  }
}

export function accessToken() {
  return tokens?.access || null;
}

/** The signed-in person as the access token names them, with the language Keycloak has for them. */
export function person() {
  const c = claims(tokens.access);
  return {username: c.preferred_username, name: c.name, locale: c.locale};
}

/**
 * Signs out at the realm (ending the single sign-on session) and comes back to the console's start. The ID token
 * goes as a form field of a POST, not in the URL.
 */
export function signOut() {
  const where = location_();
  const form = document.createElement('form');
  form.method = 'post';
  form.action = `${where.oidc}/logout`;
  const fields = {client_id: CLIENT_ID, post_logout_redirect_uri: where.console, id_token_hint: tokens?.id || ''};
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  tokens = null;
  clearTimeout(refreshTimer);
  document.body.appendChild(form);
  form.submit();
}
