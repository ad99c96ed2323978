/** Where the object store is and how to sign requests; built from the controller's environment. */
export interface StoreConfig {
  /** Endpoint URL (MinIO, ECS, s3rver); undefined = AWS S3 for the region. */
  endpoint: string | undefined;
  region: string;
  /** Static credentials (ECS_* or AWS_* keys); undefined = the AWS SDK's default provider chain (profiles, SSO, ...). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** Skip TLS certificate verification (ECS_INSECURE_SKIP_VERIFY). */
  insecureSkipVerify: boolean;
  /** Where the settings came from, for messages: "ECS_*", "AWS_*" or "AWS default chain". */
  source: string;
}

/** Overrides from task arguments or CLI flags (never credentials: those come only from the environment). */
export interface StoreOverrides {
  endpoint?: string | undefined;
  region?: string | undefined;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** ECS_* (etcdbrctl/DCE names) when ECS_ACCESS_KEY_ID is set, else AWS_* / the SDK default chain; region defaults to us-east-1. */
export function storeConfig(env: NodeJS.ProcessEnv = process.env, o: StoreOverrides = {}): StoreConfig {
  const ecs = Boolean(env['ECS_ACCESS_KEY_ID']);
  const disableSsl = truthy(env['ECS_DISABLE_SSL']);
  const rawEndpoint =
    o.endpoint ?? (ecs ? env['ECS_ENDPOINT'] : undefined) ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'] ?? env['ECS_ENDPOINT'];
  const region = o.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const base = {
    endpoint: normalizeEndpoint(rawEndpoint, disableSsl),
    region,
    insecureSkipVerify: truthy(env['ECS_INSECURE_SKIP_VERIFY']),
  };
  if (ecs) {
    return {
      ...base,
      source: 'ECS_*',
      credentials: { accessKeyId: env['ECS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['ECS_SECRET_ACCESS_KEY'] ?? '' },
    };
  }
  const id = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  if (id && secret)
    return { ...base, source: 'AWS_*', credentials: { accessKeyId: id, secretAccessKey: secret, sessionToken: env['AWS_SESSION_TOKEN'] } };
  return { ...base, source: 'AWS default chain', credentials: undefined };
}

/** Adds a scheme to a bare host[:port] (http when ECS_DISABLE_SSL is set); strips a trailing slash. */
export function normalizeEndpoint(raw: string | undefined, disableSsl: boolean): string | undefined {
  const s = raw?.trim();
  if (!s) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `${disableSsl ? 'http' : 'https'}://${s}`;
  return withScheme.replace(/\/+$/, '');
}

/** The endpoint as shown in messages. */
export function endpointLabel(c: StoreConfig): string {
  return c.endpoint ?? `AWS S3 (${c.region})`;
}

/** Secret values of a config, for scrubbing text. */
export function configSecrets(c: StoreConfig): string[] {
  return [c.credentials?.secretAccessKey, c.credentials?.sessionToken].filter((v): v is string => Boolean(v));
}
