import { PROVIDER_DESCRIPTORS } from 'nestjs-auth-code';
import { providerVariableRows, readmeProviderRows } from './readme-tables';

describe("the README's configuration table", () => {
  it('lists every provider variable exactly as its descriptor documents it (run `npm run readme:tables` after changing a descriptor)', () => {
    expect(readmeProviderRows()).toBe(providerVariableRows());
  });

  it('documents every variable of every provider schema, and nothing else', () => {
    for (const d of PROVIDER_DESCRIPTORS) {
      // class fields are own properties of an instance (ES2022 class fields), even when unset
      const variables = Object.keys(new d.environment.schema()).sort();
      expect(variables.length).toBeGreaterThan(0);
      expect({ provider: d.id, documented: Object.keys(d.environment.docs).sort() }).toEqual({
        provider: d.id,
        documented: variables,
      });
    }
  });
});
