// obops web console: one channel (#ops), threads on approval cards, live updates over SSE.
'use strict';
const state = { embedded: true, user: null, thread: null };
const $ = (id) => document.getElementById(id);

function headers() {
  const h = { 'Content-Type': 'application/json', 'X-Obops-Console': '1' };
  if (state.embedded && state.user) h['X-Obops-User'] = state.user;
  return h;
}

async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) return { message: { text: data.error || ('error ' + r.status) }, ephemeral: true };
  return data;
}

function showReply(reply) {
  const box = $('reply');
  box.hidden = false;
  box.textContent = '(only you) ' + reply.message.text;
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
  el.dataset.channel = m.channel;
  el.dataset.updated = m.updatedAt || '';
  const msg = m.message;
  let html = markup(msg.text || '');
  if (msg.card) {
    const c = msg.card;
    html += '<div class="card ' + c.colour + '"><div class="title">' + esc(c.title) + '</div>';
    for (const f of c.fields) {
      html += '<div class="field' + (f.inline ? '' : ' block') + '"><div class="name">' + esc(f.name) +
        '</div><div class="value">' + esc(f.value) + '</div></div>';
    }
    if (c.footer) html += '<div class="footer">' + esc(c.footer) + '</div>';
    html += '</div>';
  }
  if (m.fileName) {
    const url = '/console/api/files/' + m.id;
    html += '<div><a class="file-link" href="' + url + '" download="' + esc(m.fileName) + '">' + esc(m.fileName) + '</a></div>';
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
    showReply(await post('/console/api/button', { buttonId: b.dataset.buttonId, channel: m.channel }));
  }));
  el.querySelectorAll('button[data-thread]').forEach((b) => b.addEventListener('click', () => openThread(b.dataset.thread, msg.card.title)));
  return el;
}

function place(m) {
  const box = m.channel === 'ops' ? $('channel') : (m.channel === state.thread ? $('thread') : null);
  if (!box) return;
  const el = render(m);
  const old = document.getElementById(el.id);
  if (old) old.replaceWith(el); else { box.appendChild(el); box.scrollTop = box.scrollHeight; }
}

// Messages placed by live updates while the channel was being fetched are newer than (or as new
// as) the fetched ones: keep them, so an edit that arrived mid-fetch is never replaced by an older
// copy or shown twice.
async function load(channel, box) {
  const r = await fetch('/console/api/channels/' + encodeURIComponent(channel) + '/messages', { headers: headers() });
  const list = await r.json();
  const live = new Map();
  for (const el of box.children) if (el.dataset.channel === channel) live.set(el.id, el);
  box.innerHTML = '';
  for (const m of list) {
    const el = render(m);
    const seen = live.get(el.id);
    box.appendChild(seen && Date.parse(seen.dataset.updated) > Date.parse(m.updatedAt) ? seen : el);
    live.delete(el.id);
  }
  for (const el of live.values()) box.appendChild(el);
  box.scrollTop = box.scrollHeight;
}

async function openThread(channel, title) {
  state.thread = channel;
  $('threadPane').hidden = false;
  $('threadTitle').textContent = title || 'Thread';
  await load(channel, $('thread'));
}

async function start() {
  const s = await (await fetch('/console/api/session')).json();
  state.embedded = s.embedded;
  if (s.embedded) {
    const sel = $('identity');
    for (const i of s.identities) {
      const o = document.createElement('option');
      o.value = i.name;
      o.textContent = i.name + ' (' + i.roles.join(', ') + ')';
      sel.appendChild(o);
    }
    state.user = sel.value;
    sel.addEventListener('change', () => { state.user = sel.value; });
  } else {
    $('identity').hidden = true;
    $('user').textContent = s.user;
  }
  await load('ops', $('channel'));
  const events = new EventSource('/console/api/events');
  events.addEventListener('hello', () => { $('live').textContent = 'live'; });
  events.addEventListener('message', (e) => place(JSON.parse(e.data)));
  events.onerror = () => { $('live').textContent = 'reconnecting…'; };
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('command').value.trim();
    if (!text) return;
    $('command').value = '';
    showReply(await post('/console/api/command', { text }));
  });
  $('closeThread').addEventListener('click', () => { $('threadPane').hidden = true; state.thread = null; });
}

start();
