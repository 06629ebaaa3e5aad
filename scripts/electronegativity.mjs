// Runs Doyensec's electronegativity on electron/ (the Electron glue) and fails unless every
// finding is explained in electronegativity-allow.json, and every entry there still matches a
// finding. Part of npm test. Offline: the tool's update and release look-ups fail quietly.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;

// The tool's own CSV writer writes the header and the rows with two racing asynchronous writes,
// so its report file is sometimes cut (a finding lost, a flaky npm test). Its runner is called in
// this process instead and the findings are read from what it returns.
const run = createRequire(import.meta.url)('@doyensec/electronegativity');
const { issues } = await run({
  input: path.join(root, 'electron'),
  isRelative: true,
  isVerbose: false,
  electronVersionOverride: electron,
  customScan: [],
  excludeFromScan: [],
  parserPlugins: [],
});
const findings = issues.map((i) => ({
  check: i.id,
  severity: i.severity.name,
  file: i.file,
  location: `${i.location.line}:${i.location.column}`,
  sample: i.sample ?? 'N/A',
  description: i.description,
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
