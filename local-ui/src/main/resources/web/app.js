'use strict';
// CardioGate monitor page. Plain DOM and canvas, no build step, no external assets.
// Live data: /api/state once, then server-sent events from /api/live (status, streams, wave, hr, vital, beat, event).
(function () {
  const MAX_EVENTS = 10;
  const STALE_MS = 10000;
  const RETRY_MIN_MS = 1000;
  const RETRY_MAX_MS = 15000;
  const PX_PER_MM = 96 / 25.4;            // CSS pixels are 1/96 inch
  const PLAY_DELAY_S = 0.3;               // play-out delay that hides network and flush jitter
  const ERASE_S = 0.25;                   // width of the sweep's erase bar
  const TREND_BUCKET_S = 5;
  const TREND_POINTS = 120;
  const AUDIO_PAUSE_MS = 120000;
  const CARDIAC = new Set(['AF', 'VT', 'PAUSE', 'ASYSTOLE', 'BRADY', 'TACHY']);
  const BEAT_COLOURS = { N: '#e8fff0', S: '#ffc23d', V: '#ff4d4d', F: '#ff8c1a', Q: '#9aa5a0' };
  const TRACE_COLOURS = { ECG: '#00e05a', PPG: '#00d0ff', SCG: '#ffd23d', OTHER: '#c8d3cd' };

  const byId = (id) => document.getElementById(id);
  const pinned = new URLSearchParams(window.location.search).get('stream');
  const rates = new Map();
  const vitals = new Map();   // name -> {value, unit, source, stream, trend: [[t, v]]}
  let events = [];
  let live = null;
  let retryMs = RETRY_MIN_MS;
  let beatTimer = null;
  let currentView = 'live';

  // measurement hooks read by the browser tests
  window.cgStats = { frames: 0, waveBytes: 0, waveMessages: 0, samplesDrawn: 0, since: performance.now() };

  function csrf() {
    return (document.cookie.split('; ').find((c) => c.startsWith('cg_csrf=')) || '').slice(8);
  }

  function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin', cache: 'no-store' }, options || {});
    if (opts.method && opts.method !== 'GET') {
      opts.headers = Object.assign({ 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() }, opts.headers || {});
    }
    return fetch(path, opts).then((r) => {
      if (r.status === 401) {
        window.location.replace('/login.html');
        return Promise.reject(new Error('login required'));
      }
      return r.json().catch(() => ({})).then((body) => ({ status: r.status, body: body }));
    });
  }

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  function make(tag, cls, content) {
    const el = document.createElement(tag);
    if (cls) {
      el.className = cls;
    }
    if (content !== undefined) {
      el.textContent = content;
    }
    return el;
  }

  // ---------------------------------------------------------------- waveforms
  const streams = new Map();  // id -> {desc, data: [Float32Array per channel], size, base, next, play, drawn}
  const beats = [];           // {stream, index, cls, drawn}
  let traces = [];            // {stream, channel, label, modality, colour}
  let hiddenLeads = new Set();
  const waveCanvas = byId('waves');
  const gridCanvas = byId('wave-grid');
  const ctx = waveCanvas.getContext('2d');
  let layout = null;
  let lastFrame = 0;

  function sweepPxPerS() {
    return Number(byId('speed').value) * PX_PER_MM;
  }

  function ecgPxPerMv() {
    return Number(byId('gain').value) * PX_PER_MM;
  }

  function onStreams(list) {
    for (const d of list) {
      if (!streams.has(d.id)) {
        const size = Math.ceil(d.displayHz * 30);
        streams.set(d.id, {
          desc: d, size: size, data: d.channels.map(() => new Float32Array(size)),
          base: null, next: 0, play: null, drawn: null, min: [], max: []
        });
      } else {
        streams.get(d.id).desc = d;
      }
    }
    buildTraces();
  }

  function buildTraces() {
    traces = [];
    const picker = byId('lead-picker');
    picker.replaceChildren();
    const ids = [...streams.keys()].sort((a, b) => order(streams.get(a).desc) - order(streams.get(b).desc) || a.localeCompare(b));
    for (const id of ids) {
      const s = streams.get(id);
      s.desc.channels.forEach((ch, c) => {
        const key = id + ':' + ch.name;
        const box = make('label', 'lead');
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.checked = !hiddenLeads.has(key);
        input.dataset.lead = key;
        input.addEventListener('change', () => {
          if (input.checked) {
            hiddenLeads.delete(key);
          } else {
            hiddenLeads.add(key);
          }
          buildTraces();
        });
        box.append(input, document.createTextNode(s.desc.modality === 'ECG' ? ch.name : id + ' ' + ch.name));
        picker.appendChild(box);
        if (!hiddenLeads.has(key)) {
          traces.push({ stream: id, channel: c, label: s.desc.modality === 'ECG' ? ch.name : id.toUpperCase() + ' ' + ch.name,
            modality: s.desc.modality, colour: TRACE_COLOURS[s.desc.modality] || TRACE_COLOURS.OTHER, unit: ch.unit });
        }
      });
    }
    relayout();
  }

  function order(desc) {
    return { ECG: 0, PPG: 1, SCG: 2 }[desc.modality] ?? 3;
  }

  function relayout() {
    const box = byId('wave-box');
    const width = Math.max(300, Math.floor(box.clientWidth));
    const rows = Math.max(1, traces.length);
    const rowH = Math.max(34, Math.min(120, Math.floor((window.innerHeight - 260) / rows)));
    const height = rowH * rows;
    for (const c of [waveCanvas, gridCanvas]) {
      c.width = width;
      c.height = height;
      c.style.height = height + 'px';
    }
    box.style.height = height + 'px';
    layout = { width: width, rowH: rowH, left: 54, sweepPx: width - 54 };
    drawGrid();
    for (const s of streams.values()) {
      s.drawn = null;
    }
  }

  function drawGrid() {
    const g = gridCanvas.getContext('2d');
    const w = gridCanvas.width;
    const h = gridCanvas.height;
    g.fillStyle = '#000';
    g.fillRect(0, 0, w, h);
    const pxS = sweepPxPerS();
    // 0.2 s minor lines (5 mm at 25 mm/s) and 1 s major lines with second labels
    for (let t = 0, i = 0; layout.left + t * pxS <= w; t += 0.2, i++) {
      const x = Math.round(layout.left + t * pxS) + 0.5;
      g.strokeStyle = i % 5 === 0 ? '#1f3a2c' : '#0f1f17';
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, h);
      g.stroke();
      if (i % 5 === 0) {
        g.fillStyle = '#4d6b5c';
        g.font = '10px sans-serif';
        g.fillText((i / 5) + ' s', x + 2, h - 3);
      }
    }
    traces.forEach((tr, r) => {
      const y0 = r * layout.rowH;
      g.strokeStyle = '#16261e';
      g.beginPath();
      g.moveTo(0, y0 + 0.5);
      g.lineTo(w, y0 + 0.5);
      g.stroke();
      g.fillStyle = tr.colour;
      g.font = '12px sans-serif';
      g.fillText(tr.label, 4, y0 + 14);
      if (tr.modality === 'ECG') {
        // 1 mV calibration bar
        const mid = y0 + layout.rowH * 0.62;
        const bar = ecgPxPerMv();
        g.strokeStyle = tr.colour;
        g.beginPath();
        g.moveTo(30, mid);
        g.lineTo(34, mid);
        g.lineTo(34, mid - bar);
        g.lineTo(44, mid - bar);
        g.lineTo(44, mid);
        g.lineTo(48, mid);
        g.stroke();
        g.font = '9px sans-serif';
        g.fillText('1 mV', 4, mid - 2);
      }
    });
  }

  function onWave(msg, size) {
    const s = streams.get(msg.s);
    window.cgStats.waveBytes += size;
    window.cgStats.waveMessages++;
    if (!s) {
      return;
    }
    const dec = s.desc.dec;
    const ch = s.desc.channels;
    for (const part of msg.parts) {
      if (s.base === null) {
        s.base = part.seq;
      }
      let index = Math.round((part.seq - s.base) / dec);
      if (index < s.next - s.size || index > s.next + s.size) {
        // the stream restarted or jumped: start again from here
        s.base = part.seq;
        index = 0;
        s.next = 0;
        s.play = null;
        s.drawn = null;
      }
      const n = part.v[0].length;
      for (let c = 0; c < ch.length; c++) {
        const q = ch[c].q;
        const arr = s.data[c];
        const values = part.v[c];
        for (let i = 0; i < n; i++) {
          arr[(index + i) % s.size] = values[i] * q;
        }
      }
      s.next = Math.max(s.next, index + n);
    }
  }

  function traceY(tr, s, v, rowTop) {
    const h = layout.rowH;
    if (tr.modality === 'ECG') {
      return rowTop + h * 0.62 - v * ecgPxPerMv();
    }
    // PPG, SCG: scaled to the range seen over the last sweep
    const lo = s.min[tr.channel] ?? v;
    const hi = s.max[tr.channel] ?? v;
    const span = hi - lo || 1;
    return rowTop + h * 0.88 - (v - lo) / span * h * 0.76;
  }

  function updateRange(s, tr, from, to) {
    const arr = s.data[tr.channel];
    const look = Math.min(s.next, Math.round(s.desc.displayHz * 4));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.max(0, s.next - look); i < s.next; i++) {
      const v = arr[i % s.size];
      if (v < lo) {
        lo = v;
      }
      if (v > hi) {
        hi = v;
      }
    }
    if (lo <= hi) {
      const oldLo = s.min[tr.channel];
      const oldHi = s.max[tr.channel];
      // follow slowly so the trace does not jump at every beat
      s.min[tr.channel] = oldLo === undefined ? lo : oldLo + (lo - oldLo) * 0.05;
      s.max[tr.channel] = oldHi === undefined ? hi : oldHi + (hi - oldHi) * 0.05;
    }
  }

  function frame(now) {
    window.cgStats.frames++;
    requestAnimationFrame(frame);
    if (!layout || currentView !== 'live' || traces.length === 0) {
      lastFrame = now;
      return;
    }
    const dt = lastFrame ? Math.min(0.25, (now - lastFrame) / 1000) : 0;
    lastFrame = now;
    const pxS = sweepPxPerS();
    const sweepS = layout.sweepPx / pxS;
    for (const s of streams.values()) {
      if (s.next === 0) {
        continue;
      }
      const hz = s.desc.displayHz;
      const newest = s.next - PLAY_DELAY_S * hz;
      if (s.play === null || s.play > s.next || newest - s.play > hz) {
        s.play = Math.max(0, newest);
      } else {
        s.play = Math.min(s.play + dt * hz, s.next);
      }
      if (s.drawn === null || s.drawn > s.play || s.play - s.drawn > s.size / 2) {
        s.drawn = Math.floor(s.play);
      }
    }
    traces.forEach((tr, r) => {
      const s = streams.get(tr.stream);
      if (!s || s.drawn === null) {
        return;
      }
      const from = s.drawn;
      const to = Math.floor(s.play);
      if (to <= from) {
        return;
      }
      if (tr.modality !== 'ECG') {
        updateRange(s, tr, from, to);
      }
      const hz = s.desc.displayHz;
      const rowTop = r * layout.rowH;
      const arr = s.data[tr.channel];
      // erase ahead of the sweep, wrapping at the right edge
      const xTo = layout.left + ((to / hz) % sweepS) * pxS;
      const eraseW = ERASE_S * pxS;
      ctx.clearRect(xTo, rowTop + 1, eraseW, layout.rowH - 1);
      if (xTo + eraseW > layout.width) {
        ctx.clearRect(layout.left, rowTop + 1, xTo + eraseW - layout.width, layout.rowH - 1);
      }
      ctx.strokeStyle = tr.colour;
      ctx.lineWidth = 1.3;
      ctx.beginPath();
      let prevX = null;
      for (let i = from; i <= to; i++) {
        const x = layout.left + ((i / hz) % sweepS) * pxS;
        const y = traceY(tr, s, arr[i % s.size], rowTop);
        if (prevX === null || x < prevX) {
          ctx.moveTo(x, y);
        } else {
          ctx.lineTo(x, y);
        }
        prevX = x;
      }
      ctx.stroke();
      window.cgStats.samplesDrawn += to - from;
    });
    drawBeatMarks(pxS, sweepS);
    for (const s of streams.values()) {
      if (s.play !== null) {
        s.drawn = Math.floor(s.play);
      }
    }
  }

  // Each beat is marked once, when the sweep reaches it: its class letter on the first ECG row of its stream and a
  // tick at the same instant on every other ECG row of that stream (the R peak is simultaneous in all leads).
  function drawBeatMarks(pxS, sweepS) {
    const rows = [];
    traces.forEach((t, row) => {
      if (t.modality === 'ECG') {
        rows.push({ row, stream: t.stream });
      }
    });
    if (rows.length === 0) {
      return;
    }
    const s0 = streams.get(rows[0].stream);
    while (beats.length > 0 && s0 && s0.play !== null && beats[0].index < s0.play - s0.size) {
      beats.shift();
    }
    for (const b of beats) {
      const s = streams.get(b.stream);
      if (b.drawn || !s || s.play === null || b.index > s.play) {
        continue;
      }
      const own = rows.filter((r) => r.stream === b.stream);
      if (own.length === 0) {
        continue;
      }
      b.drawn = true;
      const x = layout.left + ((b.index / s.desc.displayHz) % sweepS) * pxS;
      const colour = BEAT_COLOURS[b.cls] || BEAT_COLOURS.Q;
      own.forEach((r, k) => {
        const y = r.row * layout.rowH + 12;
        ctx.fillStyle = '#000';
        if (k === 0) {
          ctx.fillRect(x - 6, y - 11, 12, 13);
          ctx.fillStyle = colour;
          ctx.font = 'bold 11px sans-serif';
          ctx.fillText(b.cls, x - 4, y);
        } else {
          ctx.fillStyle = colour;
          ctx.beginPath();
          ctx.moveTo(x - 4, y - 9);
          ctx.lineTo(x + 4, y - 9);
          ctx.lineTo(x, y - 3);
          ctx.closePath();
          ctx.fill();
        }
      });
      window.cgStats.beatMarks = (window.cgStats.beatMarks || 0) + own.length;
    }
  }

  function onBeat(beat) {
    const s = streams.get(beat.stream);
    if (s && s.base !== null) {
      beats.push({ stream: beat.stream, index: (beat.sample - s.base) / s.desc.dec, cls: beat.beatClass || 'Q', drawn: false });
      if (beats.length > 200) {
        beats.shift();
      }
    }
    if (beat.stream !== primaryStream()) {
      return;
    }
    const mark = byId('beat-mark');
    mark.classList.add('on');
    clearTimeout(beatTimer);
    beatTimer = setTimeout(() => mark.classList.remove('on'), 120);
    byId('beat-class').textContent = beat.beatClass || '';
  }

  // ---------------------------------------------------------------- vitals
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
      if (stream !== primary) {
        others.appendChild(make('li', null, stream + ': ' + formatBpm(rates.get(stream).bpm) + ' bpm'));
      }
    }
  }

  function onHeartRate(hr) {
    rates.set(hr.stream, Object.assign({ receivedAt: performance.now() }, hr));
    renderRates();
    if (hr.stream === primaryStream()) {
      onVital({ name: 'heart_rate', value: hr.bpm, unit: 'bpm', source: hr.source, stream: hr.stream,
        t: hr.timestampNanos / 1e9 });
    }
  }

  function onVital(v) {
    let entry = vitals.get(v.name);
    if (!entry) {
      entry = { trend: [] };
      vitals.set(v.name, entry);
    }
    Object.assign(entry, { value: v.value, unit: v.unit, source: v.source, stream: v.stream });
    const last = entry.trend[entry.trend.length - 1];
    if (last && Math.floor(last[0] / TREND_BUCKET_S) === Math.floor(v.t / TREND_BUCKET_S)) {
      last[0] = v.t;
      last[1] = v.value;
    } else {
      entry.trend.push([v.t, v.value]);
      if (entry.trend.length > TREND_POINTS) {
        entry.trend.shift();
      }
    }
    renderVital(v.name);
  }

  function renderVital(name) {
    const entry = vitals.get(name);
    const valueEl = document.querySelector('[data-value="' + name + '"]');
    if (valueEl && entry) {
      valueEl.textContent = entry.value === null || entry.value === undefined ? '--' : String(Math.round(entry.value));
      const src = document.querySelector('[data-source="' + name + '"]');
      if (src) {
        src.textContent = entry.stream + (entry.source ? ' \u00b7 ' + entry.source : '');
      }
    }
    const canvas = document.querySelector('canvas.spark[data-vital="' + name + '"]');
    if (canvas && entry) {
      drawSpark(canvas, entry.trend);
    }
  }

  function drawSpark(canvas, trend) {
    const w = canvas.clientWidth || 160;
    const h = canvas.clientHeight || 34;
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, w, h);
    const points = trend.filter((p) => p[1] !== null);
    if (points.length === 0) {
      return;
    }
    const tEnd = points[points.length - 1][0];
    const tStart = tEnd - TREND_BUCKET_S * TREND_POINTS;
    let lo = Math.min(...points.map((p) => p[1]));
    let hi = Math.max(...points.map((p) => p[1]));
    if (hi - lo < 4) {
      lo -= 2;
      hi += 2;
    }
    g.strokeStyle = getComputedStyle(canvas).color;
    g.lineWidth = 1.5;
    g.beginPath();
    points.forEach((p, i) => {
      const x = (p[0] - tStart) / (tEnd - tStart || 1) * (w - 2) + 1;
      const y = h - 3 - (p[1] - lo) / (hi - lo) * (h - 6);
      if (i === 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    });
    g.stroke();
    g.fillStyle = '#6b7a72';
    g.font = '9px sans-serif';
    g.fillText(Math.round(hi) + '', 1, 9);
    g.fillText('10 min', w - 30, h - 1);
  }

  // ---------------------------------------------------------------- events and alarms
  function onEvent(event, receivedAt) {
    events.push(Object.assign({ receivedAt: receivedAt }, event));
    if (events.length > MAX_EVENTS) {
      events = events.slice(-MAX_EVENTS);
    }
    renderEvents();
    loadAlarms();
  }

  function renderEvents() {
    const list = byId('events');
    list.replaceChildren();
    if (events.length === 0) {
      list.appendChild(make('li', 'empty', 'none'));
      return;
    }
    for (const event of events.slice().reverse()) {
      const li = make('li', CARDIAC.has(event.type) ? 'alarm' : 'technical');
      li.append(make('span', 'type', event.type), make('span', null, event.detail),
        make('span', 'meta', event.stream + (event.ongoing ? ' \u00b7 ongoing' : '')
          + (event.receivedAt ? ' \u00b7 ' + event.receivedAt.toLocaleTimeString() : '')));
      list.appendChild(li);
    }
  }

  let activeAlarms = [];
  let audioPausedUntil = 0;
  const evidenceShown = new Set();

  function loadAlarms() {
    return api('api/alarms').then((r) => {
      if (r.status !== 200) {
        return;
      }
      activeAlarms = r.body.active;
      renderAlarms();
      renderHistory(r.body.history);
    }).catch(() => {});
  }

  function alarmItem(a, withButtons) {
    const li = make('li', 'alarm-item prio-' + a.priority.toLowerCase() + (a.acknowledged ? ' acked' : ''));
    li.dataset.alarm = a.id;
    li.append(make('span', 'prio', a.priority), make('span', 'cond', a.condition), make('span', 'detail', a.detail),
      make('span', 'meta', a.stream + ' \u00b7 ' + new Date(a.onset).toLocaleTimeString()
        + (a.latched ? ' \u00b7 latched' : '') + (a.acknowledged ? ' \u00b7 acknowledged' : '')
        + (a.silenced ? ' \u00b7 silenced' : '')));
    if (withButtons) {
      const ack = make('button', 'ack', 'Acknowledge');
      ack.dataset.ack = a.id;
      ack.disabled = a.acknowledged;
      ack.addEventListener('click', () => alarmAction(a.id, 'ack'));
      const sil = make('button', 'silence', 'Silence 2 min');
      sil.dataset.silence = a.id;
      sil.addEventListener('click', () => alarmAction(a.id, 'silence'));
      li.append(ack, sil);
    }
    return li;
  }

  function renderAlarms() {
    const bar = byId('alarm-bar');
    bar.replaceChildren();
    const list = byId('alarms-active');
    list.replaceChildren();
    for (const a of activeAlarms) {
      bar.appendChild(alarmItem(a, true));
      list.appendChild(alarmItem(a, true));
    }
    if (activeAlarms.length === 0) {
      list.appendChild(make('li', 'empty', 'no active alarms'));
    }
    const open = activeAlarms.filter((a) => !a.acknowledged).length;
    byId('alarm-count').textContent = open > 0 ? String(open) : '';
    sound.update(activeAlarms);
  }

  function alarmAction(id, action) {
    api('api/alarms/' + encodeURIComponent(id) + '/' + action, { method: 'POST', body: '{}' }).then((r) => {
      if (action === 'silence' && r.status === 200) {
        pauseAudio();
      }
      if (r.status !== 200) {
        showToast(r.body.reason || r.body.error || ('refused (HTTP ' + r.status + ')'));
      }
      loadAlarms();
    }).catch(() => {});
  }

  function renderHistory(history) {
    const list = byId('alarms-history');
    list.replaceChildren();
    for (const e of history) {
      const li = make('li', CARDIAC.has(e.type) ? 'alarm' : 'technical');
      li.append(make('span', 'type', e.type), make('span', null, e.detail),
        make('span', 'meta', e.stream + ' \u00b7 onset sample ' + e.onsetSample + (e.ongoing ? ' \u00b7 ongoing' : '')));
      if (e.evidence) {
        const c = make('canvas', 'evidence');
        c.dataset.evidence = e.evidence;
        li.appendChild(c);
        api('api/evidence/' + e.evidence).then((r) => {
          if (r.status === 200) {
            drawEvidence(c, r.body);
          }
        }).catch(() => {});
      } else {
        li.appendChild(make('span', 'meta', 'evidence: capturing\u2026'));
      }
      list.appendChild(li);
    }
    if (history.length === 0) {
      list.appendChild(make('li', 'empty', 'none'));
    }
  }

  function drawEvidence(canvas, ev) {
    const w = 520;
    const h = 90;
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    g.fillStyle = '#000';
    g.fillRect(0, 0, w, h);
    const v = ev.values;
    let lo = Math.min(...v);
    let hi = Math.max(...v);
    if (hi - lo < 1e-6) {
      hi = lo + 1;
    }
    const xs = (i) => i / Math.max(1, v.length - 1) * (w - 1);
    // 1 s ticks
    g.strokeStyle = '#1f3a2c';
    for (let i = 0; i < v.length; i += ev.rateHz) {
      g.beginPath();
      g.moveTo(xs(i) + 0.5, 0);
      g.lineTo(xs(i) + 0.5, h);
      g.stroke();
    }
    g.strokeStyle = '#00e05a';
    g.beginPath();
    v.forEach((y, i) => {
      const yy = h - 4 - (y - lo) / (hi - lo) * (h - 8);
      if (i === 0) {
        g.moveTo(xs(i), yy);
      } else {
        g.lineTo(xs(i), yy);
      }
    });
    g.stroke();
    if (ev.onsetIndex >= 0 && ev.onsetIndex < v.length) {
      g.strokeStyle = '#ff4d4d';
      g.beginPath();
      g.moveTo(xs(ev.onsetIndex) + 0.5, 0);
      g.lineTo(xs(ev.onsetIndex) + 0.5, h);
      g.stroke();
    }
    g.fillStyle = '#9aa5a0';
    g.font = '10px sans-serif';
    g.fillText(ev.channel + ' \u00b7 ' + (v.length / ev.rateHz).toFixed(1) + ' s \u00b7 onset in red', 4, 11);
  }

  // IEC 60601-1-8 auditory alarm signals (Annex F melodies, burst patterns of clause 6.3.3)
  const NOTES = { C4: 261.63, E4: 329.63, G4: 392.0, C5: 523.25 };
  const MELODIES = {
    cardiac: { HIGH: ['C4', 'E4', 'G4', 'G4', 'C5', 'C4', 'E4', 'G4', 'G4', 'C5'], MEDIUM: ['C4', 'E4', 'G4'], LOW: ['E4', 'C4'] },
    general: { HIGH: ['C4', 'C4', 'C4', 'C4', 'C4', 'C4', 'C4', 'C4', 'C4', 'C4'], MEDIUM: ['C4', 'C4', 'C4'], LOW: ['C4', 'C4'] }
  };
  // pulse start offsets in seconds: high 3+2 pulses, pause, 3+2 pulses; medium 3 pulses; low 2 pulses
  const PATTERN = {
    HIGH: [0, 0.2, 0.4, 0.75, 0.95, 1.95, 2.15, 2.35, 2.7, 2.9],
    MEDIUM: [0, 0.25, 0.5],
    LOW: [0, 0.3]
  };
  const REPEAT_S = { HIGH: 7, MEDIUM: 15, LOW: 30 };

  const sound = (function () {
    let audio = null;
    let timer = null;
    let priority = null;
    let kind = 'general';
    let wave = null;

    function ensure() {
      if (!audio) {
        const Ctx = window.AudioContext || window.webkitAudioContext;
        if (!Ctx) {
          return null;
        }
        audio = new Ctx();
        // fundamental with four harmonics, as the standard asks for pulses
        const real = new Float32Array([0, 1, 0.5, 0.35, 0.25, 0.2]);
        wave = audio.createPeriodicWave(real, new Float32Array(real.length));
      }
      return audio;
    }

    function burst() {
      const a = ensure();
      if (!a || priority === null || Date.now() < audioPausedUntil) {
        return;
      }
      const notes = MELODIES[kind][priority];
      const starts = PATTERN[priority];
      const t0 = a.currentTime + 0.05;
      starts.forEach((s, i) => {
        const osc = a.createOscillator();
        const gain = a.createGain();
        osc.setPeriodicWave(wave);
        osc.frequency.value = NOTES[notes[i]];
        const t = t0 + s;
        const dur = priority === 'HIGH' ? 0.12 : 0.18;
        gain.gain.setValueAtTime(0, t);
        gain.gain.linearRampToValueAtTime(0.25, t + 0.02);
        gain.gain.setValueAtTime(0.25, t + dur - 0.03);
        gain.gain.linearRampToValueAtTime(0, t + dur);
        osc.connect(gain).connect(a.destination);
        osc.start(t);
        osc.stop(t + dur + 0.01);
      });
    }

    return {
      update(alarms) {
        const sounding = alarms.filter((al) => !al.acknowledged && !al.silenced);
        const top = ['HIGH', 'MEDIUM', 'LOW'].find((p) => sounding.some((al) => al.priority === p)) || null;
        const topKind = top && sounding.some((al) => al.priority === top && CARDIAC.has(al.condition)) ? 'cardiac' : 'general';
        if (top === priority && topKind === kind) {
          return;
        }
        priority = top;
        kind = topKind;
        clearInterval(timer);
        timer = null;
        if (priority !== null) {
          burst();
          timer = setInterval(burst, REPEAT_S[priority] * 1000);
        }
      },
      unlock() {
        const a = ensure();
        if (a && a.state === 'suspended') {
          a.resume();
        }
      },
      get priority() {
        return priority;
      }
    };
  }());

  function pauseAudio() {
    audioPausedUntil = Date.now() + AUDIO_PAUSE_MS;
    renderAudioButton();
  }

  function renderAudioButton() {
    const left = audioPausedUntil - Date.now();
    const btn = byId('audio-pause');
    btn.classList.toggle('paused', left > 0);
    btn.textContent = left > 0 ? 'sound paused ' + Math.floor(left / 60000) + ':'
      + String(Math.floor(left / 1000) % 60).padStart(2, '0') : 'sound on';
  }

  let toastTimer = null;
  function showToast(message) {
    const conn = byId('conn');
    conn.title = message;
    const bar = byId('alarm-bar');
    const note = make('div', 'toast', message);
    bar.appendChild(note);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => note.remove(), 6000);
  }

  // ---------------------------------------------------------------- status
  function dl(el, entries) {
    el.replaceChildren();
    for (const [k, v] of entries) {
      el.append(make('dt', null, k), make('dd', null, v));
    }
  }

  function mb(bytes) {
    return (bytes / 1048576).toFixed(0) + ' MB';
  }

  function pct(x) {
    return x === null || x === undefined ? '--' : (x * 100).toFixed(0) + ' %';
  }

  function loadStatus() {
    return api('api/status').then((r) => {
      if (r.status !== 200) {
        return;
      }
      const st = r.body;
      const tbody = byId('sensors').querySelector('tbody');
      tbody.replaceChildren();
      for (const s of st.sensors) {
        const tr = document.createElement('tr');
        tr.dataset.sensor = s.stream;
        const leads = Object.entries(s.leadOff);
        const leadCell = make('td', 'leads');
        if (leads.length === 0) {
          leadCell.textContent = 'n/a';
        }
        for (const [electrode, off] of leads) {
          leadCell.appendChild(make('span', off ? 'lead-off' : 'lead-on', electrode));
        }
        tr.append(make('td', null, s.stream), make('td', null, s.sensor),
          make('td', s.connected ? 'ok' : 'bad', s.connected ? 'yes' : 'no'),
          make('td', null, (s.achievedRateHz === null ? '--' : s.achievedRateHz.toFixed(1)) + ' / ' + s.nominalRateHz + ' Hz'),
          make('td', s.droppedSamples > 0 ? 'warn' : null, String(s.droppedSamples)), leadCell,
          make('td', s.signalQuality !== null && s.signalQuality < 0.5 ? 'warn' : null, pct(s.signalQuality)));
        tbody.appendChild(tr);
      }
      if (st.sensors.length === 0) {
        const tr = document.createElement('tr');
        const td = make('td', 'empty', 'no sensor status from the gateway');
        td.colSpan = 7;
        tr.appendChild(td);
        tbody.appendChild(tr);
      }
      dl(byId('mqtt'), [['connected', st.mqtt.connected ? 'yes' : 'no'], ['broker', st.mqtt.broker || '--'],
        ['outbox backlog', String(st.mqtt.backlog)],
        ['last acknowledgement', st.mqtt.lastAck ? new Date(st.mqtt.lastAck).toLocaleTimeString() : 'never']]);
      const sys = st.system;
      dl(byId('system'), [['inference', st.inferenceProvider || '--'],
        ['latency-budget overruns', String(st.latencyBudgetOverruns)],
        ['CPU (host / gateway)', pct(sys.cpuLoad) + ' / ' + pct(sys.processCpuLoad)],
        ['load average', sys.loadAverage >= 0 ? sys.loadAverage.toFixed(2) : '--'],
        ['memory free / total', sys.memoryTotalBytes ? mb(sys.memoryFreeBytes) + ' / ' + mb(sys.memoryTotalBytes) : '--'],
        ['Java heap used / max', mb(sys.heapUsedBytes) + ' / ' + mb(sys.heapMaxBytes)],
        ['uptime', (sys.uptimeSeconds / 60).toFixed(1) + ' min']]);
      const seconds = (performance.now() - window.cgStats.since) / 1000;
      dl(byId('page-stats'), [['live clients', String(st.ui.liveClients)],
        ['dropped for slow clients', String(st.ui.clientDrops)],
        ['display samples dropped', String(st.ui.waveSamplesDropped)],
        ['waveform data received', (window.cgStats.waveBytes / seconds / 1024).toFixed(1) + ' KiB/s'],
        ['frame rate', (window.cgStats.frames / seconds).toFixed(0) + ' fps'],
        ['streams', st.streams.map((s) => s.id + ' ' + s.rateHz + '\u2192' + s.displayHz + ' Hz').join(', ') || '--']]);
      dl(byId('status'), Object.entries(st.status).sort());
    }).catch(() => {});
  }

  function renderStatus(status) {
    byId('gateway-id').textContent = status.gatewayId || '';
    dl(byId('status'), Object.entries(status).sort());
  }

  // ---------------------------------------------------------------- configuration
  let configValues = {};

  function loadConfig() {
    return api('api/config').then((r) => {
      if (r.status !== 200) {
        return;
      }
      const root = byId('config-sections');
      root.replaceChildren();
      configValues = {};
      for (const section of r.body.sections) {
        const fs = make('fieldset', 'config-section');
        fs.appendChild(make('legend', null, section.name));
        for (const f of section.fields) {
          const name = section.name + '.' + f.key;
          configValues[name] = f.value;
          const row = make('div', 'field');
          const label = make('label', null, f.key);
          const input = document.createElement(f.type === 'BOOLEAN' ? 'select' : 'input');
          if (f.type === 'BOOLEAN') {
            for (const v of ['true', 'false']) {
              const o = make('option', null, v);
              o.value = v;
              input.appendChild(o);
            }
          } else {
            input.type = f.type === 'NUMBER' ? 'text' : 'text';
            input.inputMode = f.type === 'NUMBER' ? 'decimal' : 'text';
          }
          input.value = f.value;
          input.name = name;
          input.id = 'cfg-' + name;
          input.disabled = !f.editable;
          label.htmlFor = input.id;
          row.append(label, input, make('span', 'help', f.help), make('span', 'field-error'));
          row.lastChild.dataset.error = name;
          fs.appendChild(row);
        }
        root.appendChild(fs);
      }
      if (r.body.sections.length === 0) {
        root.appendChild(make('p', 'empty', 'no configuration available from the gateway'));
      }
    }).catch(() => {});
  }

  byId('config-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const changes = {};
    for (const input of byId('config-sections').querySelectorAll('input, select')) {
      if (!input.disabled && input.value !== configValues[input.name]) {
        changes[input.name] = input.value;
      }
    }
    document.querySelectorAll('#config-sections [data-error]').forEach((el) => {
      el.textContent = '';
      el.parentElement.classList.remove('invalid');
    });
    const result = byId('config-result');
    if (Object.keys(changes).length === 0) {
      result.textContent = 'nothing changed';
      return;
    }
    api('api/config', { method: 'POST', body: JSON.stringify(changes) }).then((r) => {
      if (r.body.applied) {
        result.textContent = 'applied';
        result.className = 'ok';
        loadConfig();
        return;
      }
      result.className = 'bad';
      result.textContent = 'not applied: ' + (r.body.reason || r.body.error || ('HTTP ' + r.status));
      for (const [field, message] of Object.entries(r.body.errors || {})) {
        const el = document.querySelector('#config-sections [data-error="' + field + '"]');
        if (el) {
          el.textContent = message;
          el.parentElement.classList.add('invalid');
        }
      }
    }).catch(() => {});
  });

  // ---------------------------------------------------------------- recordings
  function loadRecordings() {
    return api('api/recordings').then((r) => {
      if (r.status !== 200) {
        return;
      }
      const tbody = byId('recordings').querySelector('tbody');
      tbody.replaceChildren();
      for (const rec of r.body.recordings) {
        const tr = document.createElement('tr');
        tr.dataset.recording = rec.id;
        const actions = make('td');
        if (rec.active) {
          const stop = make('button', null, 'Stop');
          stop.addEventListener('click', () => api('api/recordings/' + encodeURIComponent(rec.id) + '/stop',
            { method: 'POST', body: '{}' }).then(loadRecordings));
          actions.appendChild(stop);
        }
        for (const format of rec.formats) {
          const a = make('a', 'download', format.toUpperCase());
          a.href = 'api/recordings/' + encodeURIComponent(rec.id) + '/download?format=' + encodeURIComponent(format);
          actions.appendChild(a);
        }
        tr.append(make('td', null, rec.label || rec.id), make('td', null, new Date(rec.started).toLocaleString()),
          make('td', null, rec.stopped ? new Date(rec.stopped).toLocaleTimeString() : 'recording\u2026'),
          make('td', null, (rec.bytes / 1024).toFixed(0) + ' KiB'), actions);
        tbody.appendChild(tr);
      }
    }).catch(() => {});
  }

  byId('rec-form').addEventListener('submit', (e) => {
    e.preventDefault();
    api('api/recordings', { method: 'POST', body: JSON.stringify({ label: byId('rec-label').value }) }).then((r) => {
      byId('rec-result').textContent = r.body.accepted ? 'started' : (r.body.reason
        || Object.values(r.body.errors || {}).join('; ') || ('HTTP ' + r.status));
      loadRecordings();
    }).catch(() => {});
  });

  // ---------------------------------------------------------------- plumbing
  function applyState(state) {
    onStreams(state.streams || []);
    for (const hr of Object.values(state.heartRates)) {
      onHeartRate(hr);
    }
    for (const [name, v] of Object.entries(state.vitals || {})) {
      vitals.set(name, { value: v.value, unit: v.unit, source: v.source, stream: v.stream, trend: v.trend });
      renderVital(name);
    }
    events = state.events.slice(-MAX_EVENTS);
    renderEvents();
    renderStatus(state.status);
  }

  function loadState() {
    api('api/state').then((r) => {
      if (r.status === 200) {
        applyState(r.body);
      }
    }).catch(() => {});
  }

  function setConnection(label, isLive) {
    const conn = byId('conn');
    conn.textContent = label;
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
      loadAlarms();
    };
    live.addEventListener('streams', parse(onStreams));
    live.addEventListener('wave', (m) => onWave(JSON.parse(m.data), m.data.length));
    live.addEventListener('hr', parse(onHeartRate));
    live.addEventListener('vital', parse(onVital));
    live.addEventListener('beat', parse(onBeat));
    live.addEventListener('event', parse((e) => onEvent(e, new Date())));
    live.addEventListener('status', parse(renderStatus));
    live.onerror = () => {
      setConnection('reconnecting', false);
      // EventSource retries by itself after network errors, but gives up on an HTTP error (e.g. 503, 401)
      if (live.readyState === EventSource.CLOSED) {
        setTimeout(() => {
          fetch('api/session', { credentials: 'same-origin' }).then((r) => {
            if (r.status === 401) {
              window.location.replace('/login.html');
            }
          }).catch(() => {});
          connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
  }

  function show(view) {
    currentView = view;
    document.querySelectorAll('.view').forEach((el) => el.classList.toggle('on', el.id === 'view-' + view));
    document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('on', b.dataset.view === view));
    if (view === 'live') {
      relayout();
    } else if (view === 'status') {
      loadStatus();
    } else if (view === 'config') {
      loadConfig();
    } else if (view === 'recordings') {
      loadRecordings();
    } else if (view === 'alarms') {
      loadAlarms();
    }
  }

  document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  byId('audio-pause').addEventListener('click', () => {
    if (audioPausedUntil > Date.now()) {
      audioPausedUntil = 0;
    } else {
      pauseAudio();
    }
    renderAudioButton();
  });
  byId('logout').addEventListener('click', () => {
    api('api/logout', { method: 'POST', body: '{}' }).finally(() => window.location.replace('/login.html'));
  });
  byId('speed').addEventListener('change', relayout);
  byId('gain').addEventListener('change', relayout);
  window.addEventListener('resize', relayout);
  document.addEventListener('click', () => sound.unlock(), { once: true });
  window.cgShow = show;

  setInterval(() => {
    renderRates();
    renderAudioButton();
    if (currentView === 'status') {
      loadStatus();
    }
  }, 1000);
  setInterval(loadAlarms, 2000);
  relayout();
  loadState();
  loadAlarms();
  connect();
  requestAnimationFrame(frame);
}());
