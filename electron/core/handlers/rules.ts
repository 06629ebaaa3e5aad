// Handlers for rule-pack information and the reference data in force (read from the store:
// bundled or published by the centre, reference/store.ts).
import type { Handlers } from '../rpc-types';
import { ruleData } from '../cases/rule-data';
import { listReference, referenceRejections, ruleReference } from '../reference/store';
import { searchCatalogue } from '../../../shared/rules';

export const ruleHandlers: Pick<Handlers, 'rules.packs' | 'rules.catalogue' | 'reference.list'> = {
  async 'rules.catalogue'(input, ctx) {
    const { catalogue } = await ruleReference(ctx.db);
    const items = input.q ? searchCatalogue(catalogue.items, input.q) : catalogue.items;
    return {
      completeness: `${catalogue.completeness.note}（标准共 ${catalogue.completeness.itemsInStandard} 条，已收录 ${catalogue.items.length} 条）`,
      itemsHeld: catalogue.items.length,
      itemsInStandard: catalogue.completeness.itemsInStandard,
      version: catalogue.version,
      items: items.slice(0, 50).map((i) => ({ code: i.code, category: i.category, grade: i.grade, text: i.text })),
    };
  },

  async 'rules.packs'(_input, ctx) {
    const ref = await ruleReference(ctx.db);
    return (await ruleData(ctx.db, '')).packs.map((p) => ({
      id: p.id,
      version: p.version,
      jurisdiction: p.jurisdiction,
      name: p.name,
      effectiveFrom: p.effectiveFrom,
      effectiveTo: p.effectiveTo ?? null,
      source: ref.sources.get(p.id) ?? 'bundled',
    }));
  },

  async 'reference.list'(_input, ctx) {
    return { items: await listReference(ctx.db), rejections: await referenceRejections(ctx.db) };
  },
};
