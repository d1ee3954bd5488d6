// Masuk (sign in) of the staff console: email and password, then the second factor where the
// role needs one (enrolment on first sign-in), then where the person was going. Plain browser
// JavaScript, no build step; the session lives in an HttpOnly cookie the API sets, and every
// state-changing request sends the session's CSRF token back (docs/security.md).

/**
 * Where the browser goes on after signing in (the Temporal UI gateway sends people here with
 * `?next=`): only to this host, whose pages the session cookie reaches, never to another site.
 */
function destinationOf(next) {
  if (!next) return null;
  try {
    const url = new URL(next, location.href);
    return ['http:', 'https:'].includes(url.protocol) && url.hostname === location.hostname ? url.href : null;
  } catch {
    return null;
  }
}
const destination = destinationOf(new URLSearchParams(location.search).get('next'));

const screens = ['masuk', 'kode', 'daftar-kode', 'pemulihan', 'sudah-masuk'];
let csrfToken = null;
let me = null;

const $ = (id) => document.getElementById(id);

function show(screen) {
  for (const id of screens) $(id).hidden = id !== screen;
}

function say(message) {
  $('pesan').textContent = message ?? '';
  $('pesan').hidden = !message;
}

/** Calls the API as this page; the answer's JSON, or an Error carrying the problem's detail and status. */
async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw Object.assign(new Error(explain(response.status, data)), { status: response.status });
  return data;
}

/** An answer in words an officer understands, with the API's own detail where it helps. */
function explain(status, problem) {
  if (status === 401) return 'Email atau kata sandi salah, atau kode tidak cocok.';
  if (status === 429) return 'Terlalu banyak percobaan gagal. Tunggu beberapa menit, lalu coba lagi.';
  if (status === 503) return 'Layanan sedang tidak dapat dihubungi. Coba lagi sebentar lagi.';
  return problem?.detail ?? `Permintaan ditolak (${status}).`;
}

/** Shows the step the session is at: the second factor when it is still due, else who is signed in. */
function arrive(who) {
  me = who;
  csrfToken = who.csrfToken;
  if (who.secondFactor === 'required') return show('kode');
  if (who.secondFactor === 'enrolment_required') return enrol();
  if (destination && who.role === 'supervisor') return location.assign(destination);
  $('nama').textContent = who.name ?? who.email ?? '';
  $('instansi').textContent = who.agency.name;
  $('temporal-ui').hidden = who.role !== 'supervisor';
  show('sudah-masuk');
}

async function enrol() {
  const { secret, otpauthUri } = await api('POST', '/v1/session/totp/enrolment');
  $('rahasia').textContent = secret;
  $('otpauth').href = otpauthUri;
  show('daftar-kode');
}

/** Runs a form's action with its button disabled, showing a refusal above the form. */
function onSubmit(id, action) {
  $(id).addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const button = form.querySelector('button');
    button.disabled = true;
    say(null);
    try {
      await action(new FormData(form));
      form.reset();
    } catch (error) {
      say(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

onSubmit('masuk', async (form) => {
  arrive(await api('POST', '/v1/session', { email: form.get('email'), password: form.get('password') }));
});

onSubmit('kode', async (form) => {
  const code = String(form.get('code')).trim();
  arrive(await api('POST', '/v1/session/totp', /^\d{6}$/.test(code) ? { code } : { recoveryCode: code }));
});

onSubmit('daftar-kode', async (form) => {
  const { recoveryCodes, ...who } = await api('POST', '/v1/session/totp/enrolment/confirm', { code: String(form.get('code')).trim() });
  me = who;
  csrfToken = who.csrfToken;
  $('daftar-pemulihan').replaceChildren(...recoveryCodes.map((code) => Object.assign(document.createElement('li'), { textContent: code })));
  show('pemulihan');
});

$('lanjut').addEventListener('click', () => arrive(me));

$('keluar').addEventListener('click', async () => {
  try {
    await api('DELETE', '/v1/session');
  } catch (error) {
    // Already ended elsewhere (401): signed out all the same.
    if (error.status !== 401) return say(error.message);
  }
  csrfToken = null;
  me = null;
  say(null);
  show('masuk');
});

api('GET', '/v1/me').then(arrive, (error) => {
  if (error.status !== 401) say(error.message);
  show('masuk');
});
