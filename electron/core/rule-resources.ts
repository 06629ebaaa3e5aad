// Loads the bundled rule data from the resources folder (seeded into the store on first start,
// reference/store.ts; the CLI's `benefits --resources` reads a folder directly) with node:fs and validates it with
// the schemas in shared/rules: rule packs, the working-day calendar and the GB/T 16180 catalogue.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildCalendar,
  calendarSchema,
  parseCatalogue,
  parseRulePack,
  RuleError,
  type CalendarData,
  type Catalogue,
  type RulePack,
  type WorkCalendar,
} from '../../shared/rules';

/** The bundled resources folder: next to the repo root (dev, tests, out/main), else under the cwd. */
export function resourcesDir(): string {
  const fromEnv = process.env.OIP_RESOURCES_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    path.resolve(here, '../../resources'),
    path.resolve(here, '../resources'),
    path.resolve(process.cwd(), 'resources'),
  ]) {
    if (existsSync(path.join(candidate, 'rules'))) return candidate;
  }
  return path.resolve(process.cwd(), 'resources');
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new RuleError('INVALID_INPUT', `无法读取文件 ${file}，请确认文件存在且有读取权限。`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RuleError('INVALID_INPUT', `文件 ${file} 不是有效的 JSON（${e instanceof Error ? e.message : String(e)}），请修正。`);
  }
}

export function loadRulePacks(dir = resourcesDir()): RulePack[] {
  const rulesDir = path.join(dir, 'rules');
  if (!existsSync(rulesDir)) throw new RuleError('NO_PACK', `找不到规则包目录 ${rulesDir}，请确认安装完整。`);
  const files = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const packs = files.map((f) => parseRulePack(readJson(path.join(rulesDir, f)), `规则包 ${f}`));
  const ids = new Set<string>();
  for (const p of packs) {
    if (ids.has(p.id)) throw new RuleError('INVALID_PACK', `规则包编号 ${p.id} 重复，请删除其中一个文件。`);
    ids.add(p.id);
  }
  return packs;
}

export function loadCalendar(dir = resourcesDir()): WorkCalendar {
  return buildCalendar(loadCalendarData(dir));
}

/** The calendar file as validated data (what the store keeps; buildCalendar turns it into a calendar). */
export function loadCalendarData(dir = resourcesDir()): CalendarData {
  const data = readJson(path.join(dir, 'calendar', 'cn-workdays.json'));
  buildCalendar(data);
  return calendarSchema.parse(data);
}

export function loadCatalogue(dir = resourcesDir()): Catalogue {
  return parseCatalogue(readJson(path.join(dir, 'gbt16180', 'catalogue.json')));
}

export interface RuleResources {
  dir: string;
  packs: RulePack[];
  calendar: WorkCalendar;
}

/** Packs and calendar together (the catalogue is loaded on its own: only grading needs it). */
export function loadRuleResources(dir = resourcesDir()): RuleResources {
  return { dir, packs: loadRulePacks(dir), calendar: loadCalendar(dir) };
}
