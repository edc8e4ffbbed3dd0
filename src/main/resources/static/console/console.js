// obops web console: one channel (#ops), threads on approval cards, live updates over SSE.
'use strict';
const state = { picker: true, user: null, thread: null, events: null, ready: false, hello: false, generation: 0, follow: null };
// Private replies kept on screen (newest last), at most this many.
const REPLIES = 20;
// Channels being (re)loaded: live messages for them wait here and are applied after the snapshot.
const loading = new Map();
const $ = (id) => document.getElementById(id);

// Where a browser cannot send headers (the event stream, links), the picked identity goes in the URL.
function who() {
  return state.picker && state.user ? '?user=' + encodeURIComponent(state.user) : '';
}

function headers() {
  const h = { 'Content-Type': 'application/json', 'X-Obops-Console': '1' };
  if (state.picker && state.user) h['X-Obops-User'] = state.user;
  return h;
}

// A call obops did not answer (stopped, unreachable) comes back as an error reply, never silence.
async function post(path, body) {
  let r;
  try {
    r = await fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  } catch (e) {
    return { message: { text: 'obops did not answer (is it running?); nothing was sent. Try again when the page shows "live".' }, error: true };
  }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) return { message: { text: data.error || ('obops answered with error ' + r.status + '; nothing was done.') }, error: true };
  return data;
}

// Private replies accumulate under the channel, each after the command that asked for it.
function note(html, cls) {
  const box = $('reply');
  box.hidden = false;
  const el = document.createElement('div');
  el.className = 'entry ' + (cls || '');
  el.innerHTML = html;
  box.appendChild(el);
  while (box.children.length > REPLIES) box.removeChild(box.firstChild);
  box.scrollTop = box.scrollHeight;
}

function echo(text) {
  note(esc(text), 'echo');
}

function showReply(reply) {
  const text = reply.message.text || '';
  note('<span class="muted">(only you)</span> ' + markup(text), reply.error ? 'error' : '');
  // Your own request or approval opens its thread.
  const m = text.match(/^(?:Request #(\d+) |You approved #(\d+))/);
  if (m) follow(Number(m[1] || m[2]));
}

// Opens the thread of request n as soon as its card is on screen.
function follow(n) {
  state.follow = n;
  for (const el of $('channel').querySelectorAll('.msg[data-request]')) {
    if (Number(el.dataset.request) === n) { openFollowed(el); return; }
  }
}

function openFollowed(el) {
  state.follow = null;
  const thread = 'thread:w' + el.id.substring(4);
  if (state.thread !== thread) openThread(thread, el.dataset.title);
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// **bold**, `code` and ``` blocks; everything else escaped.
function markup(text) {
  return text.split('```').map((part, i) => i % 2
    ? '<pre>' + esc(part.replace(/^\n/, '')) + '</pre>'
    : '<span class="text">' + esc(part).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>').replace(/`([^`]+)`/g, '<code>$1</code>') + '</span>'
  ).join('');
}

function render(m) {
  const el = document.createElement('div');
  el.className = 'msg';
  el.id = 'msg-' + m.id;
  el.dataset.updated = String(Date.parse(m.updatedAt) || 0);
  el.dataset.channel = m.channel;
  const msg = m.message;
  const request = msg.card && /request #(\d+)/.exec(msg.card.title);
  if (request && m.channel === 'ops') { el.dataset.request = request[1]; el.dataset.title = msg.card.title; }
  let html = markup(msg.text || '');
  if (msg.card) {
    const c = msg.card;
    html += '<div class="card ' + c.colour + (c.fields.length ? '' : ' line') + '"><div class="title">' + esc(c.title) + '</div>';
    for (const f of c.fields) {
      html += '<div class="field' + (f.inline ? '' : ' block') + '"><div class="name">' + esc(f.name) +
        '</div><div class="value">' + esc(f.value) + '</div></div>';
    }
    if (c.footer) html += '<div class="footer">' + esc(c.footer) + '</div>';
    html += '</div>';
  }
  if (m.fileName) {
    const url = '/console/api/files/' + m.id + who();
    html += '<div><a class="file-link" href="' + url + '" target="_blank" rel="noopener" data-file="' + esc(m.fileName) + '">' + esc(m.fileName) + '</a></div>';
    if ((m.fileType || '').startsWith('image/')) html += '<img class="graph" alt="task graph" src="' + url + '">';
  }
  const buttons = msg.buttons || [];
  html += '<div class="buttons">';
  for (const b of buttons) {
    html += '<button type="button" class="' + b.style + '" data-button-id="' + esc(b.id) + '"' +
      (b.disabled ? ' disabled' : '') + '>' + esc(b.label) + '</button>';
  }
  if (m.channel === 'ops' && msg.card) {
    html += '<button type="button" class="open-thread" data-thread="thread:w' + m.id + '">Open thread</button>';
  }
  html += '</div>';
  el.innerHTML = html;
  el.querySelectorAll('button[data-button-id]').forEach((b) => b.addEventListener('click', async () => {
    if (b.dataset.buttonId.startsWith('obops:reject:')) { askWhy(el, b.dataset.buttonId, m.channel); return; }
    showReply(await post('/console/api/button', { buttonId: b.dataset.buttonId, channel: m.channel }));
  }));
  el.querySelectorAll('button[data-thread]').forEach((b) => b.addEventListener('click', () => openThread(b.dataset.thread, msg.card.title)));
  return el;
}

// A reject asks why first: a field under the card, sent with the click.
function askWhy(el, buttonId, channel) {
  if (el.querySelector('.reject-form')) { el.querySelector('.reject-form input').focus(); return; }
  const form = document.createElement('form');
  form.className = 'reject-form';
  form.innerHTML = '<input name="comment" aria-label="why reject" placeholder="why reject? (optional, shown on the card)">' +
    '<button type="submit">Reject</button>';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const comment = form.querySelector('input').value.trim();
    form.remove();
    showReply(await post('/console/api/button', { buttonId, channel, comment }));
  });
  el.appendChild(form);
  form.querySelector('input').focus();
}

// Shows a live message: a new one at the end, a newer version of a shown one in its place.
function place(m) {
  const waiting = loading.get(m.channel);
  if (waiting) { waiting.push(m); return; }
  const box = m.channel === 'ops' ? $('channel') : (m.channel === state.thread ? $('thread') : null);
  if (!box) return;
  const el = render(m);
  const old = document.getElementById(el.id);
  if (!old) { box.appendChild(el); box.scrollTop = box.scrollHeight; }
  else if (Number(old.dataset.updated) <= Number(el.dataset.updated)) old.replaceWith(el);
  if (state.follow && Number(el.dataset.request) === state.follow) openFollowed(el);
  if (el.dataset.title && state.thread === 'thread:w' + m.id) $('threadTitle').textContent = el.dataset.title;
}

// Replaces a box with the channel's messages, then applies what arrived live meanwhile.
async function load(channel, box) {
  loading.set(channel, []);
  let messages = [];
  try {
    const r = await fetch('/console/api/channels/' + encodeURIComponent(channel) + '/messages', { headers: headers() });
    if (r.ok) messages = await r.json();
  } finally {
    const waiting = loading.get(channel) || [];
    loading.delete(channel);
    box.innerHTML = '';
    for (const m of messages) box.appendChild(render(m));
    for (const m of waiting) place(m);
    box.scrollTop = box.scrollHeight;
  }
}

function showLive() {
  if (state.ready && state.hello) $('live').textContent = 'live';
}

async function openThread(channel, title) {
  state.thread = channel;
  $('threadPane').hidden = false;
  $('threadTitle').textContent = title || 'Thread';
  await load(channel, $('thread'));
}

function listen() {
  if (state.events) state.events.close();
  state.hello = false;
  const events = new EventSource('/console/api/events' + who());
  events.addEventListener('hello', () => { state.hello = true; showLive(); });
  events.addEventListener('message', (e) => place(JSON.parse(e.data)));
  events.onerror = () => { $('live').textContent = 'reconnecting…'; };
  state.events = events;
}

// Everything shown depends on who is looking: listen as them, then reload the channel (and the
// open thread); "live" shows once both are done.
async function showAs() {
  const generation = ++state.generation;
  state.ready = false;
  // private replies belong to who asked: none carry over to the next person picked
  $('reply').innerHTML = '';
  $('reply').hidden = true;
  state.follow = null;
  $('live').textContent = '';
  listen();
  await load('ops', $('channel'));
  if (state.thread) await load(state.thread, $('thread'));
  if (generation !== state.generation) return; // someone else was picked meanwhile
  state.ready = true;
  showLive();
}

async function start() {
  const s = await (await fetch('/console/api/session')).json();
  state.picker = s.picker;
  if (s.picker) {
    const sel = $('identity');
    for (const i of s.identities) {
      const o = document.createElement('option');
      o.value = i.name;
      o.textContent = i.name + ' (' + i.roles.join(', ') + ')';
      sel.appendChild(o);
    }
    state.user = sel.value;
    sel.addEventListener('change', () => { state.user = sel.value; showAs(); });
  } else {
    $('identity').hidden = true;
    $('user').textContent = s.user;
  }
  await showAs();
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('command').value.trim();
    if (!text) return;
    $('command').value = '';
    echo(text);
    showReply(await post('/console/api/command', { text }));
  });
  $('closeThread').addEventListener('click', () => { $('threadPane').hidden = true; state.thread = null; });
}

start();
