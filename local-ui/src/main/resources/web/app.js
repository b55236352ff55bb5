'use strict';
// Live monitor page: first /api/state, then server-sent events from /api/live. Plain DOM, no build step.
(function () {
  const MAX_EVENTS = 10;
  const STALE_MS = 10000;
  const RETRY_MIN_MS = 1000;
  const RETRY_MAX_MS = 15000;
  const ALARMS = new Set(['AF', 'VT', 'PAUSE', 'ASYSTOLE', 'BRADY', 'TACHY']);

  const pinned = new URLSearchParams(window.location.search).get('stream');
  const rates = new Map();
  let events = [];
  let live = null;
  let retryMs = RETRY_MIN_MS;
  let beatTimer = null;

  const byId = (id) => document.getElementById(id);

  function formatBpm(bpm) {
    return bpm === null || bpm === undefined ? '---' : String(Math.round(bpm));
  }

  function primaryStream() {
    if (pinned && rates.has(pinned)) {
      return pinned;
    }
    return [...rates.keys()].sort()[0];
  }

  function renderRates() {
    const primary = primaryStream();
    const hrEl = byId('hr');
    const sourceEl = byId('hr-source');
    if (primary === undefined) {
      hrEl.textContent = '---';
      sourceEl.textContent = 'no signal';
      return;
    }
    const hr = rates.get(primary);
    const stale = performance.now() - hr.receivedAt > STALE_MS;
    hrEl.textContent = formatBpm(hr.bpm);
    hrEl.classList.toggle('stale', stale);
    sourceEl.textContent = primary + (hr.source ? ' \u00b7 ' + hr.source : '') + (stale ? ' \u00b7 no update' : '');
    const others = byId('other-rates');
    others.replaceChildren();
    for (const stream of [...rates.keys()].sort()) {
      if (stream === primary) {
        continue;
      }
      const li = document.createElement('li');
      li.textContent = stream + ': ' + formatBpm(rates.get(stream).bpm) + ' bpm';
      others.appendChild(li);
    }
  }

  function onHeartRate(hr) {
    rates.set(hr.stream, Object.assign({ receivedAt: performance.now() }, hr));
    renderRates();
  }

  function onBeat(beat) {
    if (beat.stream !== primaryStream()) {
      return;
    }
    const mark = byId('beat-mark');
    mark.classList.add('on');
    clearTimeout(beatTimer);
    beatTimer = setTimeout(() => mark.classList.remove('on'), 120);
    byId('beat-class').textContent = beat.beatClass || '';
  }

  function onEvent(event, receivedAt) {
    events.push(Object.assign({ receivedAt: receivedAt }, event));
    if (events.length > MAX_EVENTS) {
      events = events.slice(-MAX_EVENTS);
    }
    renderEvents();
  }

  function renderEvents() {
    const list = byId('events');
    list.replaceChildren();
    if (events.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'none';
      list.appendChild(li);
      return;
    }
    for (const event of events.slice().reverse()) {
      const li = document.createElement('li');
      li.className = ALARMS.has(event.type) ? 'alarm' : 'technical';
      const type = document.createElement('span');
      type.className = 'type';
      type.textContent = event.type;
      const detail = document.createElement('span');
      detail.textContent = event.detail;
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = event.stream + (event.ongoing ? ' \u00b7 ongoing' : '')
          + (event.receivedAt ? ' \u00b7 ' + event.receivedAt.toLocaleTimeString() : '');
      li.append(type, detail, meta);
      list.appendChild(li);
    }
  }

  function renderStatus(status) {
    const dl = byId('status');
    dl.replaceChildren();
    for (const key of Object.keys(status).sort()) {
      const dt = document.createElement('dt');
      dt.textContent = key;
      const dd = document.createElement('dd');
      dd.textContent = status[key];
      dl.append(dt, dd);
    }
    byId('gateway-id').textContent = status.gatewayId || '';
  }

  function applyState(state) {
    for (const hr of Object.values(state.heartRates)) {
      onHeartRate(hr);
    }
    events = state.events.slice(-MAX_EVENTS);
    renderEvents();
    renderStatus(state.status);
  }

  function loadState() {
    fetch('api/state', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then(applyState)
      .catch(() => { /* the live stream or the next reconnect fills in */ });
  }

  function setConnection(text, isLive) {
    const conn = byId('conn');
    conn.textContent = text;
    conn.classList.toggle('live', isLive);
    conn.classList.toggle('offline', !isLive);
  }

  function parse(handler) {
    return (message) => handler(JSON.parse(message.data));
  }

  function connect() {
    if (live !== null) {
      live.close();
    }
    live = new EventSource('api/live');
    live.onopen = () => {
      retryMs = RETRY_MIN_MS;
      setConnection('live', true);
      loadState();
    };
    live.addEventListener('hr', parse(onHeartRate));
    live.addEventListener('beat', parse(onBeat));
    live.addEventListener('event', parse((e) => onEvent(e, new Date())));
    live.addEventListener('status', parse(renderStatus));
    live.onerror = () => {
      setConnection('reconnecting', false);
      // EventSource retries by itself after network errors, but gives up on an HTTP error (e.g. 503)
      if (live.readyState === EventSource.CLOSED) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
  }

  setInterval(renderRates, 1000);
  loadState();
  connect();
}());
