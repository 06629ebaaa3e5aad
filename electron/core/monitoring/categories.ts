// The 运行监测 classification (injury types, accident scenarios) from resources/monitoring,
// read and validated once per process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../rule-resources';
import { parseCategories, type Categories } from '../../../shared/monitoring/categories';

let cached: Categories | null = null;

export function monitoringCategories(): Categories {
  cached ??= parseCategories(JSON.parse(readFileSync(path.join(resourcesDir(), 'monitoring', 'categories.json'), 'utf8')));
  return cached;
}
