// Handlers for rule-pack information.
import type { Handlers } from '../rpc-types';
import { ruleData } from '../cases/rule-data';

export const ruleHandlers: Pick<Handlers, 'rules.packs'> = {
  async 'rules.packs'() {
    return ruleData('').packs.map((p) => ({ id: p.id, version: p.version, jurisdiction: p.jurisdiction, name: p.name, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo ?? null }));
  },
};
