/** The bulk placement contract (F-PLACE 2): upload → mapping → validate (dry run) → place → report. */
import { z } from 'zod';
import { BULK_FIELD_NAMES, BULK_FIELDS, type BulkField } from './bulk-row.js';
import { queryInt } from '../platform/http/route.js';

export const BATCH_STATUSES = ['uploaded', 'queued', 'running', 'validated', 'completed', 'failed', 'rolled_back', 'expired'] as const;

const fieldShape = Object.fromEntries(BULK_FIELD_NAMES.map((f) => [f, z.string().min(1).max(200).optional()])) as Record<BulkField, z.ZodOptional<z.ZodString>>;
export const ColumnMappingSchema = z.strictObject(fieldShape).describe('target field → column header of the file');

export const BatchUploadFields = z.strictObject({ clientId: z.string().min(4).max(40).optional() });

export const BatchIdParams = z.strictObject({ id: z.string().min(4).max(40) });

export const BatchStart = z.strictObject({
  mapping: ColumnMappingSchema,
  /** validate: a dry run (counts and the error report, nothing placed); place: place the valid rows */
  mode: z.enum(['validate', 'place']).default('place'),
  /** remember this mapping for the client's next file (default true) */
  remember: z.boolean().default(true),
});

export const MappingSuggestion = z.object({
  field: z.enum(BULK_FIELD_NAMES as [BulkField, ...BulkField[]]),
  column: z.string(),
  /** 0…1 */
  confidence: z.number(),
  review: z.boolean(),
  basis: z.enum(['remembered', 'agency', 'header', 'values']),
  /** up to three values of the column from the first rows (SSN-looking ones masked) */
  samples: z.array(z.string()),
  /** a full-name column: each sample as it will be stored, split by the form's name rules ("DOE, JANE M") */
  preview: z.array(z.string()).optional(),
});

export const BulkFieldInfo = z.object({ field: z.string(), label: z.string(), required: z.boolean() });

export const Batch = z.object({
  id: z.string(),
  status: z.enum(BATCH_STATUSES),
  mode: z.enum(['validate', 'place']),
  client: z.object({ id: z.string(), name: z.string() }),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  columns: z.array(z.string()),
  mapping: ColumnMappingSchema.nullable(),
  rowsTotal: z.number().int().nullable(),
  rowsDone: z.number().int(),
  rowsPlaced: z.number().int(),
  rowsInvalid: z.number().int(),
  rowsDuplicate: z.number().int(),
  /** 0…1, rows done / total (0 until the rows are counted) */
  progress: z.number(),
  failure: z.string().nullable(),
  /** an earlier batch of this client with the very same file (its rows will come out as duplicates) */
  sameFileAs: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  errorReportUrl: z.string(),
});

export const BatchUploaded = Batch.extend({
  suggestedMapping: ColumnMappingSchema,
  /** remembered: this client's last mapping; agency: the agency's last mapping for the same headers (another client); headers: suggested from the headers and values */
  mappingSource: z.enum(['remembered', 'agency', 'headers']),
  /** one per suggested field: how sure, on what basis, and the values it was based on; `review` ones are highlighted for a person to check */
  suggestions: z.array(MappingSuggestion),
  /** the first rows, SSN-looking values masked, to help choose columns */
  sampleRows: z.array(z.array(z.string())),
  fields: z.array(BulkFieldInfo),
});

export const BULK_FIELD_INFO = BULK_FIELD_NAMES.map((f) => ({ field: f, label: BULK_FIELDS[f][0] as string }));

/** `GET /placements/batches`: the caller's clients' spreadsheets, newest first ("My placements"). */
export const BatchListQuery = z.strictObject({
  clientId: z.string().min(4).max(40).optional(),
  /** only the batches the caller uploaded */
  mine: z.enum(['true', 'false']).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(20),
});
export type BatchListQueryT = z.output<typeof BatchListQuery>;

/** A batch in the list: its run, who uploaded it, and what the agency decided about its placed rows. */
export const BatchSummary = Batch.omit({ columns: true, mapping: true, sameFileAs: true }).extend({
  createdBy: z.string().nullable(),
  review: z.object({ pending: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
});

export const BatchList = z.object({
  data: z.array(BatchSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
});

/**
 * `PUT /placements/batches/:id/mapping`: the mapping as the person leaves it, saved while they edit it
 * (a draft: a required field may still be missing; every column named must be in the file).
 */
const draftFieldShape = Object.fromEntries(BULK_FIELD_NAMES.map((f) => [f, z.string().max(200).optional()])) as Record<BulkField, z.ZodOptional<z.ZodString>>;
export const BatchMappingDraft = z.strictObject({
  /** target field → column header; `''` or absent: no column chosen (yet) */
  mapping: z.strictObject(draftFieldShape),
});

export const BatchMappingSaved = z.object({
  id: z.string(),
  mapping: ColumnMappingSchema,
  savedAt: z.string(),
});

/**
 * `GET /placements/batches/:id/mapping`: the mapping step of an upload not yet placed, to pick it up
 * again (after a reload, from "My placements"): what the upload answered (suggestion, sample rows,
 * fields; read again from the stored file) and the mapping the person last saved, if any.
 */
export const BatchMappingStep = BatchUploaded.extend({
  savedMapping: ColumnMappingSchema.nullable(),
  savedAt: z.string().nullable(),
});
