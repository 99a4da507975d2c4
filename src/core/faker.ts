/**
 * faker (English), loaded on first use: only seeding (without a seed-cache hit) and data generation need it, and
 * loading it costs a large share of start-up.
 */
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';

let loaded: Faker | undefined;
const load = (): Faker => (loaded ??= (createRequire(import.meta.url)('@faker-js/faker/locale/en') as { faker: Faker }).faker);

export const faker: Faker = new Proxy({} as Faker, {
  get: (_, key) => {
    const real = load();
    const value = Reflect.get(real, key);
    return typeof value === 'function' ? value.bind(real) : value;
  },
});
