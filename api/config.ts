/**
 * Typed configuration from the environment, with embedded defaults so that `npm start` works on a
 * fresh clone: SQLite under ./data, port 3000, secrets generated into DATA_DIR on first start.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Secrets {
  /** HMAC key for access tokens (HS256). */
  jwtSecret: string;
  /** AES-256-GCM key for personal data at rest (SSNs), base64. */
  dataKey: string;
  /** HMAC key for lookup hashes of encrypted values (SSN search), base64. */
  lookupKey: string;
}

/** One key of the audit chain's HMAC: `id` is recorded on every row it seals. */
export interface AuditKey {
  id: string;
  /** raw key bytes, base64 */
  key: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `mysql://…` switches to MySQL/MariaDB; empty means the embedded SQLite file in dataDir. */
  databaseUrl: string;
  /** Origins allowed to call the API from a browser (the agency's sites). `*` allows any. */
  corsOrigins: string[];
  secrets: Secrets;
  /** scrypt cost parameter N (a power of two). OWASP: 2^17 with r=8, p=1. */
  scryptCost: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Public base URL of this API (used in links and printed at start). */
  publicUrl: string;
  logRequests: boolean;
  /**
   * How many reverse proxies in front of the API append to `X-Forwarded-For` (TRUST_PROXY). The
   * client IP is the address the outermost of them saw: the N-th entry from the right. Entries left
   * of those were written by the caller and are ignored (they could be anything). 0: the socket's peer.
   */
  trustProxyHops?: number;
  /** requests per IP per window to the sign-in doors (login, MFA step, reset, SSO exchange) */
  authRateLimit: { perIp: number; windowMs: number };
  /** Outgoing mail relay, e.g. smtp://user:pass@relay:587 (the outbox delivers through it). */
  smtpUrl: string;
  /** From: of every email, e.g. "Northwind Recovery <noreply@northwind.example>". */
  mailFrom: string;
  /** SMS provider name; `log` records texts in the sms_log table (see platform/outbox.ts). */
  smsProvider: string;
  /** HMAC key the SMS provider signs inbound-message webhooks with (STOP/START replies). */
  smsWebhookSecret: string;
  /** Chromium for PDF export. */
  chromiumPath: string;
  /** Run the background worker (jobs, schedules, outbox) in this process. */
  runWorker: boolean;
  /**
   * Let webhooks reach loopback, private, link-local and unique-local addresses (WEBHOOK_ALLOW_PRIVATE=1):
   * only for on-premise receivers inside the agency's network. Off, such targets are refused (SSRF).
   */
  webhookAllowPrivate?: boolean;
  /**
   * Keys of the audit chain's HMAC (AUDIT_KEYS=`id:base64,id:base64`), newest first: the first seals
   * new rows, the others only verify rows sealed before a rotation. Outside the database on purpose:
   * whoever can write the database must not be able to recompute the chain. Unset: one key derived
   * from JWT_SECRET (see auditKeysOf).
   */
  auditKeys?: AuditKey[];
  /** Upload limits (F-DOC 3): UPLOAD_MAX_BYTES, UPLOAD_ALLOWED_TYPES=pdf,png,… (see api/platform/uploads/file-kinds.ts) */
  uploads?: { maxBytes?: number; allowedTypes?: string[] };
  /**
   * Placement spreadsheets waiting to be placed (issue 17): deleted this many hours after their last
   * use when never placed (UPLOAD_EXPIRY_HOURS), and at most this many bytes held per client at once
   * (UPLOAD_QUOTA_BYTES; more is a 413 until earlier uploads are placed, rolled back or expire).
   */
  spreadsheetUploads: { expiryHours: number; quotaBytesPerClient: number };
  /**
   * Report files rendered in the background (issue 21): deleted this many hours after they are ready
   * (REPORT_EXPORT_EXPIRY_HOURS, default 24); ask again for a newer one.
   */
  reportExports?: { expiryHours?: number };
  /** How long a booting node waits for a migration another node is running (MIGRATE_WAIT_SECONDS). */
  migrateWaitMs?: number;
  /** Where stored files live (absent: DATA_DIR/files). See api/platform/storage.ts. */
  storage?: StorageConfig;
  /** The job runner's leases and concurrency (absent: the defaults in api/platform/jobs.ts). */
  jobs?: JobSettings;
}

/** JOB_* settings (docs/deploy.md, "Workers"). Every field is optional; jobs.ts holds the defaults. */
export interface JobSettings {
  /** JOB_LEASE_SECONDS: how long a claim holds without a heartbeat (default 30 s); renewed every third of it */
  leaseMs?: number;
  /**
   * OUTBOX_LEASE_SECONDS: the same for a queued email or SMS while it is handed to SMTP or the SMS
   * provider (default: the job lease); renewed every third of it while the send runs
   */
  outboxLeaseMs?: number;
  /** JOB_CONCURRENCY: jobs in flight per node, other than webhook deliveries (default 4) */
  concurrency?: number;
  /** WEBHOOK_CONCURRENCY: webhook deliveries in flight per node, a lane of their own (default 8) */
  webhookConcurrency?: number;
  /** JOB_RETRY_ELSEWHERE_SECONDS: how long a failed job's retry waits for another worker before its own takes it (default 30 s) */
  retryElsewhereMs?: number;
}

/** STORAGE_URL and the S3_* settings (README, configuration). */
export interface StorageConfig {
  /** empty: DATA_DIR/files on this node's disk; `s3://bucket/prefix`: an S3-compatible bucket; `file:///path` */
  url: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
  /** default: on when an endpoint is given (MinIO, Ceph), off for AWS */
  s3ForcePathStyle?: boolean;
}

function generateSecrets(): Secrets {
  return {
    jwtSecret: randomBytes(32).toString('base64url'),
    dataKey: randomBytes(32).toString('base64'),
    lookupKey: randomBytes(32).toString('base64'),
  };
}

/** Secrets come from env when given (several API nodes must share them), else from DATA_DIR. */
function loadSecrets(env: NodeJS.ProcessEnv, dataDir: string): Secrets {
  if (env.JWT_SECRET && env.DATA_KEY && env.LOOKUP_KEY) {
    return { jwtSecret: env.JWT_SECRET, dataKey: env.DATA_KEY, lookupKey: env.LOOKUP_KEY };
  }
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = generateSecrets();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export const DEFAULT_SPREADSHEET_UPLOADS = { expiryHours: 72, quotaBytesPerClient: 2 * 1024 ** 3 };

/** A setting that must be a positive number when given: a typo must not turn a limit off. */
function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${value}").`);
  return n;
}

/** AUDIT_KEYS=`id:base64,…` (newest first); ids are short names (letters, digits, - _), keys at least 32 bytes. */
export function parseAuditKeys(value: string | undefined): AuditKey[] | undefined {
  if (!value?.trim()) return undefined;
  return value.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':');
    if (!id || !key || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || Buffer.from(key, 'base64').length < 32) {
      throw new Error('AUDIT_KEYS must be a comma-separated list of id:key, newest first (id: up to 16 letters, digits, - or _; key: at least 32 bytes, base64).');
    }
    return { id, key };
  });
}

/** The audit keys in force: AUDIT_KEYS, or one derived from JWT_SECRET (stable across restarts and nodes). */
export function auditKeysOf(config: Pick<Config, 'auditKeys' | 'secrets'>): AuditKey[] {
  if (config.auditKeys?.length) return config.auditKeys;
  return [{ id: 'jwt', key: createHmac('sha256', config.secrets.jwtSecret).update('collectkit/audit-chain').digest('base64') }];
}

/** TRUST_PROXY: empty, `0` or `false` → 0; a whole number of proxy hops otherwise. `true` is refused (it trusted what the caller wrote). */
export function parseTrustProxy(value: string | undefined): number {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'false') return 0;
  if (!/^\d{1,2}$/.test(v)) throw new Error(`TRUST_PROXY must be the number of reverse proxies in front of the API that append to X-Forwarded-For (0, 1, 2 …), not "${value}".`);
  return Number(v);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const secrets = loadSecrets(env, dataDir);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL ?? '',
    corsOrigins: (env.CORS_ORIGINS ?? '*').split(',').map((s) => s.trim()).filter(Boolean),
    secrets,
    scryptCost: Number(env.SCRYPT_COST ?? 2 ** 15),
    accessTokenTtlSeconds: Number(env.ACCESS_TOKEN_TTL ?? 900),
    refreshTokenTtlSeconds: Number(env.REFRESH_TOKEN_TTL ?? 8 * 3600),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    logRequests: env.LOG_REQUESTS === '1',
    trustProxyHops: parseTrustProxy(env.TRUST_PROXY),
    authRateLimit: { perIp: Number(env.AUTH_RATE_LIMIT_PER_IP ?? 100), windowMs: 15 * 60_000 },
    smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
    mailFrom: env.MAIL_FROM ?? 'CollectKit <noreply@collectkit.localhost>',
    smsProvider: env.SMS_PROVIDER ?? 'log',
    // Without SMS_WEBHOOK_SECRET, a key derived from the token secret (stable across restarts and nodes).
    smsWebhookSecret: env.SMS_WEBHOOK_SECRET ?? createHmac('sha256', secrets.jwtSecret).update('collectkit/sms-webhook').digest('base64url'),
    chromiumPath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    runWorker: env.RUN_WORKER !== '0',
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1',
    auditKeys: parseAuditKeys(env.AUDIT_KEYS),
    migrateWaitMs: Number(env.MIGRATE_WAIT_SECONDS ?? 300) * 1000,
    uploads: {
      maxBytes: env.UPLOAD_MAX_BYTES ? Number(env.UPLOAD_MAX_BYTES) : undefined,
      allowedTypes: env.UPLOAD_ALLOWED_TYPES?.split(',').map((s) => s.trim()).filter(Boolean),
    },
    spreadsheetUploads: {
      expiryHours: positive(env.UPLOAD_EXPIRY_HOURS, 'UPLOAD_EXPIRY_HOURS') ?? DEFAULT_SPREADSHEET_UPLOADS.expiryHours,
      quotaBytesPerClient: positive(env.UPLOAD_QUOTA_BYTES, 'UPLOAD_QUOTA_BYTES') ?? DEFAULT_SPREADSHEET_UPLOADS.quotaBytesPerClient,
    },
    reportExports: { expiryHours: positive(env.REPORT_EXPORT_EXPIRY_HOURS, 'REPORT_EXPORT_EXPIRY_HOURS') },
    storage: {
      url: env.STORAGE_URL ?? '',
      s3Endpoint: env.S3_ENDPOINT,
      s3Region: env.S3_REGION,
      s3AccessKeyId: env.S3_ACCESS_KEY_ID,
      s3SecretAccessKey: env.S3_SECRET_ACCESS_KEY,
      s3ForcePathStyle: env.S3_FORCE_PATH_STYLE ? ['1', 'true', 'yes'].includes(env.S3_FORCE_PATH_STYLE.toLowerCase()) : undefined,
    },
    jobs: {
      leaseMs: seconds(env.JOB_LEASE_SECONDS, 'JOB_LEASE_SECONDS'),
      outboxLeaseMs: seconds(env.OUTBOX_LEASE_SECONDS, 'OUTBOX_LEASE_SECONDS'),
      concurrency: count(env.JOB_CONCURRENCY, 'JOB_CONCURRENCY'),
      webhookConcurrency: count(env.WEBHOOK_CONCURRENCY, 'WEBHOOK_CONCURRENCY'),
      retryElsewhereMs: seconds(env.JOB_RETRY_ELSEWHERE_SECONDS, 'JOB_RETRY_ELSEWHERE_SECONDS'),
    },
  };
}

const seconds = (value: string | undefined, name: string) => {
  const n = positive(value, name);
  return n === undefined ? undefined : n * 1000;
};

function count(value: string | undefined, name: string): number | undefined {
  const n = positive(value, name);
  if (n !== undefined && !Number.isInteger(n)) throw new Error(`${name} must be a whole number (got "${value}").`);
  return n;
}

/** A config for tests: a temp data dir, fixed secrets, a cheaper (still memory-hard) scrypt. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: overrides.dataDir ?? '',
    databaseUrl: '',
    corsOrigins: ['*'],
    secrets: {
      jwtSecret: 'test-jwt-secret-test-jwt-secret-00',
      dataKey: Buffer.alloc(32, 7).toString('base64'),
      lookupKey: Buffer.alloc(32, 9).toString('base64'),
    },
    scryptCost: 2 ** 10,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 3600,
    publicUrl: 'http://localhost',
    logRequests: false,
    // the suites sign in from one loopback address many times; the hardening test sets a low limit
    authRateLimit: { perIp: 100_000, windowMs: 15 * 60_000 },
    smtpUrl: 'smtp://127.0.0.1:1',
    mailFrom: 'CollectKit Test <noreply@collectkit.test>',
    smsProvider: 'log',
    smsWebhookSecret: 'test-sms-webhook-secret',
    chromiumPath: '/usr/bin/chromium',
    runWorker: false,
    spreadsheetUploads: { ...DEFAULT_SPREADSHEET_UPLOADS },
    auditKeys: [{ id: 'test1', key: Buffer.alloc(32, 11).toString('base64') }],
    ...overrides,
  };
}
