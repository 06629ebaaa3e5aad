// Handlers for rule-pack information.
import type { Handlers } from '../rpc-types';
import { ruleData } from '../cases/rule-data';
import { loadCatalogue } from '../rule-resources';
import { searchCatalogue, type Catalogue } from '../../../shared/rules';

let catalogue: Catalogue | null = null;

export const ruleHandlers: Pick<Handlers, 'rules.packs' | 'rules.catalogue'> = {
  async 'rules.catalogue'(input) {
    catalogue ??= loadCatalogue();
    const items = input.q ? searchCatalogue(catalogue.items, input.q) : catalogue.items;
    return {
      completeness: `${catalogue.completeness.note}（标准共 ${catalogue.completeness.itemsInStandard} 条，已收录 ${catalogue.items.length} 条）`,
      items: items.slice(0, 50).map((i) => ({ code: i.code, category: i.category, grade: i.grade, text: i.text })),
    };
  },

  async 'rules.packs'() {
    return ruleData('').packs.map((p) => ({
      id: p.id,
      version: p.version,
      jurisdiction: p.jurisdiction,
      name: p.name,
      effectiveFrom: p.effectiveFrom,
      effectiveTo: p.effectiveTo ?? null,
    }));
  },
};
