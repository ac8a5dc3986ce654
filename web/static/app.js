/* МСОКО: sorting and filtering of tables, the year field of the import form. Pages work without it (UI.md). */
(function () {
  'use strict';
  function cellValue(td) {
    var t = (td ? td.textContent : '').trim();
    var n = t.replace(/[\s\u202f\u00a0%]/g, '').replace('−', '-').replace(',', '.');
    if (/^[-+]?\d+(\.\d+)?$/.test(n)) return { num: true, v: parseFloat(n) };
    return { num: false, v: t.toLowerCase() };
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0]; if (!body) return;
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { if (c !== th) c.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[col]), y = cellValue(b.cells[col]), r;
      if (x.num && y.num) r = x.v - y.v; else r = String(x.v).localeCompare(String(y.v), 'ru');
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function makeSortable(table) {
    if (!table.tHead || table.querySelector('td[rowspan]')) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var b = document.createElement('button'); b.type = 'button'; b.className = 'sort';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b); th.setAttribute('aria-sort', 'none');
      b.addEventListener('click', function () { sortBy(table, i, th); });
    });
  }
  function makeFilterable(table) {
    var body = table.tBodies[0]; if (!body) return;
    var box = document.createElement('div'); box.className = 'tablefilter';
    var label = document.createElement('label'); label.textContent = 'Найти в таблице';
    var input = document.createElement('input'); input.type = 'search';
    label.appendChild(document.createElement('br')); label.appendChild(input); box.appendChild(label);
    var wrap = table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    wrap.parentNode.insertBefore(box, wrap);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }
  /* A template without a year (the list of schools) does not ask for one. */
  function importYear(select) {
    var field = document.getElementById('year-field'); if (!field) return;
    var none = (select.getAttribute('data-noyear') || '').split(' ').filter(Boolean);
    var sync = function () { field.hidden = none.indexOf(select.value) >= 0; };
    select.addEventListener('change', sync); sync();
  }
  /* A table wider than its box: a line above it says it scrolls sideways (the shadows at the
     edges say so without JS); checked again when the window changes size. */
  function scrollHints() {
    document.querySelectorAll('.scroll').forEach(function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains('scroll-hint')) {
        hint = document.createElement('p'); hint.className = 'scroll-hint';
        hint.textContent = 'Таблица шире экрана — прокрутите её вбок →';
        box.parentNode.insertBefore(hint, box);
      }
      var wide = box.scrollWidth > box.clientWidth + 1;
      hint.classList.toggle('on', wide);
      if (wide && !box.hasAttribute('tabindex')) box.setAttribute('tabindex', '0');
    });
  }
  /* The справка builds for seconds: the page says so, counts the seconds and downloads the file
     when it is ready, or says why it is not (without JS the form is a plain download). */
  function reportProgress(form) {
    var status = document.getElementById('report-status'); if (!status || !window.fetch) return;
    var button = form.querySelector('button[type=submit]');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var url = form.action + '?' + new URLSearchParams(new FormData(form)).toString();
      var started = Date.now(), timer;
      var doklad = form.querySelector('input[name=kind][value=doklad]');
      var what = doklad && doklad.checked ? 'Доклад' : 'Справка';
      var tick = function () {
        status.textContent = what + ' строится… ' + Math.round((Date.now() - started) / 1000) + ' с';
      };
      button.disabled = true; status.className = 'hint building'; tick();
      timer = setInterval(tick, 1000);
      fetch(url, { credentials: 'same-origin' }).then(function (resp) {
        if (!resp.ok) {
          return resp.text().then(function (t) {
            var doc = new DOMParser().parseFromString(t, 'text/html');
            var main = doc.querySelector('main p, main h1');
            throw new Error(main ? main.textContent.trim() : 'ошибка ' + resp.status);
          });
        }
        var cd = resp.headers.get('Content-Disposition') || '', m = /filename="([^"]+)"/.exec(cd);
        return resp.blob().then(function (b) { return { blob: b, name: m ? m[1] : 'spravka' }; });
      }).then(function (f) {
        var a = document.createElement('a'); a.href = URL.createObjectURL(f.blob); a.download = f.name;
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
        status.className = 'hint ready';
        var sec = Math.round((Date.now() - started) / 1000);
        status.textContent = what + (what === 'Доклад' ? ' готов: ' : ' готова: ') + f.name + ', ' + Math.max(1, Math.round(f.blob.size / 1024)) +
          ' КБ, ' + (sec < 1 ? 'меньше чем за секунду' : 'за ' + sec + ' с') + '. Файл скачан.';
      }).catch(function (e) {
        status.className = 'error-message'; status.textContent = what + (what === 'Доклад' ? ' не построен: ' : ' не построена: ') + e.message;
      }).then(function () { clearInterval(timer); button.disabled = false; });
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var report = document.getElementById('report-form'); if (report) reportProgress(report);
    var kind = document.querySelector('form select#kind'); if (kind) importYear(kind);
    document.querySelectorAll('table.sortable').forEach(makeSortable);
    document.querySelectorAll('table.filterable').forEach(makeFilterable);
    scrollHints(); window.addEventListener('resize', scrollHints);
  });
})();
