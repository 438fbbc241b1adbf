// Calls to the operator API with the session cookie; answers as { status, data }.
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) session.onSignedOut();
  return { status: response.status, data };
}

/** A file sent as the request body (e.g. a result document), not as JSON. */
export async function upload(path, file, headers = {}) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', ...headers },
    body: file,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) session.onSignedOut();
  return { status: response.status, data };
}

/** Who is signed in; main.js sets onSignedOut. */
export const session = {
  operator: null,
  onSignedOut: () => {},
};

export const canOperate = () =>
  Boolean(session.operator && (session.operator.role === 'operator' || session.operator.role === 'administrator'));
export const canAdminister = () => Boolean(session.operator && session.operator.role === 'administrator');

/** The text to show for a failed call: the problem's detail, else its title, else the status. */
export function problemText(answer, t) {
  if (answer.status === 403) return t('forbidden');
  const problem = answer.data || {};
  const text = problem.detail || problem.title || String(answer.status);
  return problem.code ? `${text} (${problem.code})` : text;
}
