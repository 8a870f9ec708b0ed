// Calls to Keycloak's admin API (and the approvers' endpoint) with the signed-in person's token. Keycloak decides
// what each person may see and do; the console only shows the answer.
import {accessToken, location_} from './auth.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** The request field the server's message names ('ticket' is required...), if any. */
  get field() {
    const match = /'([A-Za-z]+)'/.exec(this.message || '');
    return match ? match[1] : null;
  }
}

async function call(method, url, body, accept = 'application/json') {
  const headers = {Authorization: `Bearer ${accessToken()}`, Accept: accept};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, {method, headers, credentials: 'omit', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (notJson) {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && (data.error || data.errorMessage)) || '');
  }
  return accept === 'application/json' ? data : text;
}

function admin(path) {
  const where = location_();
  return `${where.base}/admin/realms/${encodeURIComponent(where.realm)}/${path}`;
}

/** The admin API of this realm: {@code keycloak('users?search=x')}, {@code governed('users/<id>/recovery')}. */
export const api = {
  keycloak: {
    get: path => call('GET', admin(path)),
  },
  governed: {
    get: path => call('GET', admin(`governed-recovery/${path}`)),
    post: (path, body) => call('POST', admin(`governed-recovery/${path}`), body ?? {}),
    delete: path => call('DELETE', admin(`governed-recovery/${path}`)),
    /** A CSV answer, as text. */
    csv: path => call('GET', admin(`governed-recovery/${path}`), undefined, 'text/csv'),
  },
  approvals: {
    list: () => call('GET', `${location_().base}/realms/${encodeURIComponent(location_().realm)}/governed-recovery/approvals`),
    decide: (id, body) => call('POST', `${location_().base}/realms/${encodeURIComponent(location_().realm)}/governed-recovery/approvals/${encodeURIComponent(id)}`, body),
  },
};

/** A path segment from data (an id): encoded, so it can never reach another path. */
export function segment(value) {
  return encodeURIComponent(String(value));
}
