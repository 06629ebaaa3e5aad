// Runs Doyensec's electronegativity on electron/ (the Electron glue) and fails unless every
// finding is explained in electronegativity-allow.json, and every entry there still matches a
// finding. Part of npm test. Offline: the tool's update and release look-ups fail quietly.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.test-reports', 'electronegativity.csv');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
const electron = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;

const run = spawnSync(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  ['electronegativity', '-i', 'electron', '-o', out, '-r', '-e', electron],
  { cwd: root, encoding: 'utf8', timeout: 300_000 },
);
if (!fs.existsSync(out)) {
  console.error(`electronegativity did not run: ${run.stderr || run.error?.message || 'no report'}`);
  process.exit(1);
}

/** RFC 4180-ish: quoted fields may hold commas and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
    const fields = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (c === ',' && !quoted) {
        fields.push(cur.trim());
        cur = '';
      } else {
        cur += c;
      }
    }
    fields.push(cur.trim());
    rows.push(fields);
  }
  return rows;
}

const [header, ...rows] = parseCsv(fs.readFileSync(out, 'utf8'));
const col = (name) => header.findIndex((h) => h.trim() === name);
const findings = rows.map((r) => ({
  check: r[col('issue')],
  severity: r[col('severity')],
  file: r[col('filename')],
  location: r[col('location')],
  sample: r[col('sample')],
  description: r[col('description')],
}));
const allow = JSON.parse(fs.readFileSync(path.join(root, 'electronegativity-allow.json'), 'utf8')).entries;
const key = (x) => `${x.check}\u0000${x.file}\u0000${x.sample}`;
const allowed = new Set(allow.map(key));
const found = new Set(findings.map(key));
const unexplained = findings.filter((f) => !allowed.has(key(f)));
const stale = allow.filter((a) => !found.has(key(a)) || !a.reason || a.reason.length < 20);

console.log(
  `electronegativity: ${findings.length} findings, ${findings.length - unexplained.length} explained in electronegativity-allow.json`,
);
for (const f of unexplained)
  console.error(`  未说明的发现 ${f.check} (${f.severity}) ${f.file}:${f.location} — ${f.description}\n    ${f.sample}`);
for (const a of stale) console.error(`  允许清单中的条目已不再对应任何发现或缺少理由：${a.check} ${a.file} — ${a.sample}`);
process.exit(unexplained.length === 0 && stale.length === 0 ? 0 : 1);
