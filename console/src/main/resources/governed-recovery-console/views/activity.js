// Security: reset attempts, completed resets and findings per hour over the last days, as charts with the numbers
// behind them; registration compliance by department as a bar chart with its counts; both as CSV downloads.
import {h, replace} from '../lib/dom.js';
import {field, alert} from '../lib/forms.js';
import {ApiError} from '../lib/api.js';

const SERIES = ['attempts', 'completions', 'findings'];
const STANDINGS = ['meeting', 'missing', 'notApplicable'];
const SVG = 'http://www.w3.org/2000/svg';

export default {
  id: 'activity',
  nav: 'nav.activity',
  allowed: access => access.views.security,
  async render(element, c) {
    const hourly = h('div', {id: 'activity-hourly'});
    const compliance = h('div', {id: 'activity-compliance'});
    const period = field({name: 'days', label: c.t('activity.period'),
      input: h('select', {}, ['1', '7', '30'].map(d => h('option', {value: d, selected: d === '7'},
        c.t('findings.lastDays', d))))});
    period.input.addEventListener('change', () => showHours(c, hourly, period.input.value));
    replace(element, h('h1', {class: 'gr-title', id: 'activity-heading', tabindex: '-1'}, c.t('activity.title')),
      h('p', {}, c.t('activity.intro')),
      h('section', {class: 'gr-card', 'aria-labelledby': 'activity-hours-heading'},
        h('h2', {id: 'activity-hours-heading'}, c.t('activity.hours')), period, hourly),
      h('section', {class: 'gr-card', 'aria-labelledby': 'activity-compliance-heading'},
        h('h2', {id: 'activity-compliance-heading'}, c.t('activity.compliance')), compliance));
    await Promise.all([showHours(c, hourly, '7'), showCompliance(c, compliance)]);
  },
};

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  for (const child of children) {
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

async function showHours(c, target, days) {
  const answer = await c.api.governed.get(`activity?days=${encodeURIComponent(days)}`);
  const lang = c.language();
  const label = hour => new Date(hour).toLocaleString(lang, {dateStyle: 'short', timeStyle: 'short'});
  replace(target,
    h('ul', {class: 'gr-totals', id: 'activity-totals'}, SERIES.map(s => h('li', {},
      h('strong', {id: `total-${s}`, 'data-total': s}, String(answer.totals[s])), c.t(`activity.${s}`)))),
    ...SERIES.map(s => chart(c, s, answer.hours, label)),
    download(c, 'activity-csv', c.t('activity.downloadHours'), `activity?days=${encodeURIComponent(days)}&format=csv`,
      'recovery-activity.csv'),
    h('details', {}, h('summary', {}, c.t('activity.numbers')),
      h('table', {class: 'gr-table', id: 'activity-table'},
        h('caption', {class: 'gr-sr-only'}, c.t('activity.hours')),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, c.t('activity.hour')),
          SERIES.map(s => h('th', {scope: 'col'}, c.t(`activity.${s}`))))),
        h('tbody', {}, answer.hours.filter(x => SERIES.some(s => x[s] > 0)).map(x => h('tr', {'data-hour': x.hour},
          h('th', {scope: 'row'}, label(x.hour)), SERIES.map(s => h('td', {'data-series': s}, String(x[s])))))))));
}

/** One series as bars per hour: a picture with a text alternative; the numbers are in the table below. */
function chart(c, series, hours, label) {
  const width = 960;
  const height = 120;
  const most = Math.max(0, ...hours.map(x => x[series]));
  const top = Math.max(1, most);
  const step = width / Math.max(1, hours.length);
  const bars = hours.map((x, i) => {
    const barHeight = x[series] === 0 ? 0 : Math.max(2, Math.round((x[series] / top) * (height - 20)));
    return svg('rect', {class: `gr-bar-${series}`, x: (i * step).toFixed(2), y: height - barHeight,
      width: Math.max(1, step - 1).toFixed(2), height: barHeight, 'data-hour': x.hour, 'data-count': x[series]},
    svg('title', {}, `${label(x.hour)}: ${x[series]}`));
  });
  const total = hours.reduce((sum, x) => sum + x[series], 0);
  return h('figure', {class: 'gr-figure'},
    h('figcaption', {}, c.t(`activity.${series}`), ` (${c.t('activity.most', most)})`),
    svg('svg', {class: 'gr-chart', id: `chart-${series}`, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': c.t('activity.chartLabel', c.t(`activity.${series}`), total, hours.length)},
    svg('line', {class: 'gr-axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5}), ...bars));
}

async function showCompliance(c, target) {
  let summary;
  try {
    summary = await c.api.governed.get('compliance?format=summary');
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 403) {
      replace(target, h('p', {class: 'gr-muted', id: 'compliance-hidden'}, c.t('activity.complianceHidden')));
      return;
    }
    throw failure;
  }
  const departments = Object.entries(summary.byDepartment);
  const width = 960;
  const row = 28;
  const labelWidth = 220;
  const top = Math.max(1, ...departments.map(([, d]) => d.users));
  const bars = departments.flatMap(([name, d], i) => {
    let x = labelWidth;
    const parts = STANDINGS.map(s => {
      const w = (d[s] / top) * (width - labelWidth - 10);
      const rect = svg('rect', {class: `gr-bar-${s}`, x: x.toFixed(2), y: i * row + 4, width: w.toFixed(2),
        height: row - 8, 'data-department': name, 'data-standing': s, 'data-count': d[s]},
      svg('title', {}, `${name}: ${c.t(`activity.${s}`)} ${d[s]}`));
      x += w;
      return rect;
    });
    return [svg('text', {x: 0, y: i * row + row / 2 + 4}, name), ...parts];
  });
  replace(target,
    h('p', {}, c.t('activity.complianceIntro', summary.departmentAttribute, summary.totals.users,
      summary.totals.meeting, summary.totals.missing)),
    svg('svg', {class: 'gr-chart', id: 'chart-departments', viewBox: `0 0 ${width} ${Math.max(row, departments.length * row)}`,
      role: 'img', 'aria-label': c.t('activity.departmentsLabel', departments.length)}, ...bars),
    h('ul', {class: 'gr-totals'}, STANDINGS.map(s => h('li', {}, h('span', {class: `gr-key gr-key-${s}`}),
      c.t(`activity.${s}`)))),
    download(c, 'compliance-csv', c.t('activity.downloadDepartments'), 'compliance?format=summary-csv',
      'recovery-compliance-by-department.csv'),
    h('table', {class: 'gr-table', id: 'departments-table'},
      h('caption', {class: 'gr-sr-only'}, c.t('activity.compliance')),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, c.t('activity.department')),
        h('th', {scope: 'col'}, c.t('activity.users')), STANDINGS.map(s => h('th', {scope: 'col'},
          c.t(`activity.${s}`))))),
      h('tbody', {}, departments.map(([name, d]) => h('tr', {'data-department': name},
        h('th', {scope: 'row'}, name), h('td', {'data-standing': 'users'}, String(d.users)),
        STANDINGS.map(s => h('td', {'data-standing': s}, String(d[s]))))))));
}

/** A button that fetches a CSV answer with the person's token and saves it as a file. */
function download(c, id, text, path, filename) {
  const status = h('span', {class: 'gr-muted', role: 'status'});
  return h('p', {}, h('button', {type: 'button', class: 'pf-v5-c-button pf-m-secondary', id, on: {click: async () => {
    try {
      const csv = await c.api.governed.csv(path);
      const url = URL.createObjectURL(new Blob([csv], {type: 'text/csv'}));
      const link = h('a', {href: url, download: filename, hidden: true});
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = c.t('activity.downloaded', filename);
    } catch (failure) {
      if (!(failure instanceof ApiError)) {
        throw failure;
      }
      replace(status, alert('danger', c.t('activity.downloadFailed'), failure.message));
    }
  }}}, text), ' ', status);
}
