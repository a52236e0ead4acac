// The npm package from a plain page: import the web build, await init() once, then call it.
import init, { evaluate, version } from '../pkg/web/huiqi.js';

const profile = {
  region: '620102',
  registered_on: '2019-04-16',
  industry_field: 'electronic_information',
  employees: 86,
  tech_staff: 21,
  financials: [
    { year: 2024, sales_revenue: '26500000', rd_expense: '1520000' },
    { year: 2025, sales_revenue: '31800000', rd_expense: '1890000', total_income: '32400000', high_tech_income: '24100000' },
  ],
  ip: { class1: 2, class2: 9 },
  certifications: { hnte: 'none' },
};

const $ = (id) => document.getElementById(id);
const yuan = (b) =>
  b.min_yuan === null ? '—' : b.min_yuan === b.max_yuan ? b.min_yuan : `${b.min_yuan}–${b.max_yuan}`;

function show() {
  $('error').textContent = '';
  let result;
  try {
    result = evaluate(JSON.parse($('profile').value), { asOf: $('as-of').value || undefined });
  } catch (error) {
    // HuiqiInputError: `path` names the field, `errors` lists every problem.
    $('error').textContent = error.errors
      ? error.errors.map((e) => `${e.path || '(profile)'}: ${e.message}`).join('\n')
      : String(error);
    $('result').hidden = true;
    $('status').textContent = 'The profile was refused.';
    return;
  }
  const rows = result.programs.map((p) => {
    const row = document.createElement('tr');
    row.dataset.program = p.id;
    for (const [text, className] of [
      [`${p.name.zh} ${p.name.en}`],
      [p.status, p.status],
      [p.benefits.map(yuan).join('; ')],
      [p.missing.join(', ')],
    ]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (className) cell.className = className;
      row.append(cell);
    }
    return row;
  });
  $('result').tBodies[0].replaceChildren(...rows);
  $('result').hidden = false;
  const eligible = result.programs.filter((p) => p.status === 'eligible').length;
  $('status').textContent = `${result.programs.length} programs apply on ${result.as_of}; ${eligible} eligible.`;
}

await init();
$('profile').value = JSON.stringify(profile, null, 2);
$('version').textContent = `rules ${version()}`;
$('evaluate').disabled = false;
$('evaluate').addEventListener('click', show);
show();
