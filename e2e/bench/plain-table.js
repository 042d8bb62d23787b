// The dialog table built with plain DOM calls: the yardstick for the Leptos `DialogTable` in the
// render benchmark (tests/list_bench.rs imports this module; plain-table.html runs it alone).
// It produces the same markup from the same JSON (`DialogSummary[]` as the API sends it): the same
// elements, classes, texts, date format, Russian plurals and one click listener on the body.

const LABELS = {
  waiting: 'Ожидает ответа поддержки',
  answered: 'Поступил ответ. Ждёт оценки',
  closed: 'Завершён',
};
const HOUR = 3600000;
const DAY = 24 * HOUR;
const MIN_MS = -62135596800000;
const MAX_MS = 253402300799000;

function pluralRu(n, one, few, many) {
  const d10 = n % 10;
  const d100 = n % 100;
  if (d10 === 1 && d100 !== 11) return one;
  if (d10 >= 2 && d10 <= 4 && !(d100 >= 12 && d100 <= 14)) return few;
  return many;
}

function closesIn(remaining) {
  if (remaining <= 0) return 'закроется сегодня';
  const hours = Math.ceil(remaining / HOUR);
  if (remaining < DAY && hours < 24) {
    return `закроется через ${hours} ${pluralRu(hours, 'час', 'часа', 'часов')}`;
  }
  const days = Math.max(1, Math.floor((remaining + DAY / 2) / DAY));
  return `закроется через ${days} ${pluralRu(days, 'день', 'дня', 'дней')}`;
}

const pad = (n) => (n < 10 ? `0${n}` : `${n}`);
const clamp = (ms) => Math.min(MAX_MS, Math.max(MIN_MS, ms));

function dateRu(ms) {
  const d = new Date(clamp(ms));
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
}

function dateTimeRu(ms) {
  const d = new Date(clamp(ms));
  return `${dateRu(ms)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function onRowClick(ev) {
  if (ev.defaultPrevented || ev.button !== 0) return;
  const target = ev.target;
  if (!(target instanceof Element) || target.closest('a, button, input, select, textarea, label')) return;
  const row = target.closest('tr');
  const link = row && row.querySelector('a[href]');
  if (link) link.click();
}

/** Builds the table for `json` (a JSON array of dialog summaries) into `host`; returns the row count. */
export function buildTable(host, json, nowMs, base = '') {
  const rows = JSON.parse(json);
  const wrap = make('div', 'ss-table-wrap');
  const table = make('table', 'ss-table ss-dialogs');
  table.setAttribute('aria-busy', 'false');
  table.appendChild(make('caption', 'ss-visually-hidden', 'Диалоги с поддержкой, сначала новые'));

  const thead = make('thead');
  const head = make('tr');
  const th = (text) => {
    const cell = make('th', '', text);
    cell.setAttribute('scope', 'col');
    return cell;
  };
  head.appendChild(th('№ диалога'));
  head.appendChild(th('Статус'));
  const dateTh = th();
  dateTh.setAttribute('aria-sort', 'descending');
  const sort = make('button', 'ss-sort', 'Дата создания ');
  sort.type = 'button';
  sort.title = 'Показать сначала старые';
  const arrow = make('span', 'ss-sort-arrow', '↓');
  arrow.setAttribute('aria-hidden', 'true');
  sort.appendChild(arrow);
  sort.appendChild(make('span', 'ss-visually-hidden', ', сначала новые'));
  dateTh.appendChild(sort);
  head.appendChild(dateTh);
  head.appendChild(th('Тема'));
  thead.appendChild(head);
  table.appendChild(thead);

  const tbody = make('tbody');
  tbody.addEventListener('click', onRowClick);
  for (const r of rows) {
    const answered = r.status === 'answered';
    const tr = make('tr', answered ? 'ss-row ss-row-answered' : 'ss-row');

    const num = make('td', 'ss-col-number');
    const a = make('a', '', String(r.id));
    a.setAttribute('href', `${base}/dialogs/${r.id}`);
    num.appendChild(a);
    tr.appendChild(num);

    const status = make('td', 'ss-col-status');
    status.appendChild(make('span', `ss-badge ss-badge-${r.status}`, LABELS[r.status] || ''));
    if (answered && r.closes_at != null) {
      const closes = make('span', 'ss-closes', closesIn(r.closes_at - nowMs));
      closes.title = `Закроется автоматически: ${dateTimeRu(r.closes_at)}`;
      status.appendChild(closes);
    }
    tr.appendChild(status);

    tr.appendChild(make('td', 'ss-col-date', dateRu(r.created_at)));

    const theme = make('td', 'ss-col-theme', r.theme_name);
    theme.appendChild(make('span', 'ss-secondary', r.category_name));
    tr.appendChild(theme);

    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  wrap.appendChild(table);
  host.appendChild(wrap);
  return rows.length;
}

/** The same synthetic rows the Rust benchmark makes (see `synthetic_rows` in tests/list_bench.rs). */
export function syntheticRows(n, nowMs) {
  const statuses = ['waiting', 'answered', 'closed'];
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    const status = statuses[i % 3];
    const created = nowMs - i * 3 * HOUR;
    rows.push({
      id: 13718172 + i,
      status,
      category_id: `cat-${i % 12}`,
      theme_id: `theme-${i % 40}`,
      category_name: `Категория ${i % 12}`,
      theme_name: `Вопросы по уже оформленным заявкам на возврат № ${i % 40}`,
      created_at: created,
      updated_at: created,
      closes_at: status === 'answered' ? nowMs + ((i % 5) + 1) * DAY - HOUR : null,
      awaiting_rating: status === 'answered',
    });
  }
  return rows;
}
