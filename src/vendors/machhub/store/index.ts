/** MACHHUB's fixed tables (domains, users, groups, keys, tags, historian, processes, files): one store per entity. */
import type { VendorDb } from '../../../core/db.js';
import { DomainStore } from './domains.js';
import { FileStore } from './files.js';
import { GroupStore } from './groups.js';
import { KeyStore } from './keys.js';
import { ProcessStore } from './processes.js';
import { SchemaStore } from './schemas.js';
import { SettingStore } from './settings.js';
import { TagStore } from './tags.js';
import { UserStore } from './users.js';

export * from './rows.js';
export { historianDependentsReady, historianReady } from './tags.js';

export class Store {
  readonly settings: SettingStore;
  readonly domains: DomainStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly keys: KeyStore;
  readonly tags: TagStore;
  readonly schemas: SchemaStore;
  readonly processes: ProcessStore;
  readonly files: FileStore;

  constructor(h: VendorDb) {
    this.settings = new SettingStore(h);
    this.users = new UserStore(h);
    this.groups = new GroupStore(h, this.users);
    this.domains = new DomainStore(h, this.groups);
    this.keys = new KeyStore(h);
    this.tags = new TagStore(h);
    this.schemas = new SchemaStore(h);
    this.processes = new ProcessStore(h);
    this.files = new FileStore(h);
  }
}
