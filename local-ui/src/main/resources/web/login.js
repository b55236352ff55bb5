'use strict';
(function () {
  const byId = (id) => document.getElementById(id);
  const csrf = () => (document.cookie.split('; ').find((c) => c.startsWith('cg_csrf=')) || '').slice(8);

  function post(path, body) {
    return fetch(path, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify(body)
    }).then((r) => r.json().catch(() => ({})).then((j) => ({ status: r.status, body: j })));
  }

  function showChange(oldPassword) {
    byId('login-form').classList.add('hidden');
    byId('change-form').classList.remove('hidden');
    if (oldPassword) {
      byId('old').value = oldPassword;
    }
    byId('new').focus();
  }

  byId('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const password = byId('password').value;
    post('api/login', { user: byId('user').value, password: password }).then((r) => {
      if (r.status !== 200) {
        byId('message').textContent = r.body.error || ('login failed (HTTP ' + r.status + ')');
        return;
      }
      if (r.body.mustChangePassword) {
        showChange(password);
      } else {
        window.location.replace('/');
      }
    });
  });

  byId('change-form').addEventListener('submit', (e) => {
    e.preventDefault();
    document.querySelectorAll('[data-error]').forEach((el) => { el.textContent = ''; });
    if (byId('new').value !== byId('repeat').value) {
      byId('message').textContent = 'the two new passwords differ';
      return;
    }
    post('api/password', { old: byId('old').value, new: byId('new').value }).then((r) => {
      if (r.status === 200) {
        window.location.replace('/');
        return;
      }
      const errors = r.body.errors || {};
      for (const [field, text] of Object.entries(errors)) {
        const el = document.querySelector('[data-error="' + field + '"]');
        if (el) {
          el.textContent = text;
        }
      }
      byId('message').textContent = r.body.error || Object.entries(errors).map(([f, t]) => f + ' ' + t).join('; ');
    });
  });

  if (new URLSearchParams(window.location.search).get('change') === '1') {
    showChange('');
  }
}());
