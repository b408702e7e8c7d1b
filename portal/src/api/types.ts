// The API's types, generated from docs/openapi.json (schema.d.ts, written by build.mjs): pages import them from here.
import type { components, operations, paths } from './schema';

export type Schemas = components['schemas'];
export type { components, operations, paths };

export type MeView = Schemas['MeView'];
export type Permission =
  | 'Read' | 'ProjectWrite' | 'DatasetIngest' | 'DatasetEdit' | 'RunStart' | 'ApprovalManage'
  | 'Promote' | 'Rollback' | 'Operate' | 'Predict' | 'AuditRead' | 'AccessAdmin';
